"""Keep the search index current on every save.

A signal rather than a service call because every path that saves a site, an organisation or a project
(services, admin, imports) must refresh its lemmas; bulk writes, which send no signals, call
`search.reindex` themselves.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from klaster.registry import search
from klaster.registry.models import JointProject, Organization, Site

KIND_OF = {Site: "site", Organization: "organization", JointProject: "project"}


@receiver(post_save, sender=Site)
@receiver(post_save, sender=Organization)
@receiver(post_save, sender=JointProject)
def index_on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        search.index_objects(KIND_OF[sender], [instance])


@receiver(m2m_changed, sender=Site.regions.through)
def index_on_regions(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Site):
        search.index_objects("site", [instance])
