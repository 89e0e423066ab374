"""OpenFisca variables: inputs by entity (`inputs_<entity>.py`) and one module per measure."""
