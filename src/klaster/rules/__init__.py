"""Klaster's rules: support measures and registry requirements on OpenFisca-core (never imports Django)."""

from klaster.rules.system import CountryTaxBenefitSystem

__all__ = ["CountryTaxBenefitSystem"]
