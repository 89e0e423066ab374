"""Registry models, one module per family."""

from klaster.registry.models.classifiers import Okpd, Okved
from klaster.registry.models.indicators import Indicator, ReportedFigure
from klaster.registry.models.loans import Loan
from klaster.registry.models.organizations import Organization, OrganizationYear
from klaster.registry.models.projects import JointProject, ProjectCost, ProjectParticipant, StartBatchPurchase
from klaster.registry.models.regions import Region
from klaster.registry.models.search import SearchDocument
from klaster.registry.models.sites import Membership, Site, SiteStatusEvent

__all__ = [
    "Indicator",
    "JointProject",
    "Loan",
    "Membership",
    "Okpd",
    "Okved",
    "Organization",
    "OrganizationYear",
    "ProjectCost",
    "ProjectParticipant",
    "Region",
    "ReportedFigure",
    "SearchDocument",
    "Site",
    "SiteStatusEvent",
    "StartBatchPurchase",
]
