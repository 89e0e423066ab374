"""Entities in design C: the firm is OpenFisca's person; every other unit is a group without members.

OpenFisca lets a person belong to exactly one group of each kind, but a firm sits in several projects
and sometimes two clusters. So sites, memberships, projects, participations, purchases, ПП № 41
applications and loans are member-less group entities used as plain tables, joined by explicit
foreign-key index columns (`*_idx`, -1 for none) through `common.link` and `common.count_by`.
Native group helpers (`members`, roles, `sum`) do not apply to them, and `SimulationBuilder` must
not be used (it tiles member-less groups and silently duplicates rows): see `builder.py`.
"""

from openfisca_core.entities import build_entity

Firm = build_entity(
    key="firm", plural="firms", label="Организация", doc="Предприятие, ИП или иная организация", is_person=True
)
Site = build_entity(key="site", plural="sites", label="Площадка", doc="Кластер, парк, технопарк или ОЭЗ", roles=[])
Membership = build_entity(
    key="membership", plural="memberships", label="Членство", doc="Участие организации в площадке", roles=[]
)
Project = build_entity(key="project", plural="projects", label="Совместный проект", roles=[])
Participation = build_entity(
    key="participation",
    plural="participations",
    label="Участие в проекте",
    doc="Организация в проекте с ролью",
    roles=[],
)
Purchase = build_entity(
    key="purchase", plural="purchases", label="Закупка стартовой партии", doc="Покупка у участника кластера", roles=[]
)
Application = build_entity(
    key="application",
    plural="applications",
    label="Заявка по ПП № 41",
    doc="Заявитель и год отбора: предел субсидии считается на эту пару по всем проектам заявителя",
    roles=[],
)
Loan = build_entity(key="loan", plural="loans", label="Льготный кредит", roles=[])

ENTITIES = [Firm, Site, Membership, Project, Participation, Purchase, Application, Loan]
