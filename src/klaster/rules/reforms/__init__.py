"""Scenarios: proposals as data (`<name>.yaml`) applied to the parameter tree by `scenario.py`."""
