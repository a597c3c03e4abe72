"""What an import changes (make_plan) and writing it in bulk with history (write_plan).

Every record is compared in "natural form": plain fields as stored, foreign keys as the
natural-key tuples of snapshot.py. A row whose record exists and matches is unchanged and
is not written at all, so importing the same file twice writes nothing, not even history.
Over 500 lines: comparing and writing must agree row by row, so they stay side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from activities.models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    ActivityTransition,
    ArchiveFile,
    Brand,
)
from communities.models import (
    Award,
    Community,
    CommunityKind,
    Deduction,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, UpgradeProject
from privacy.models import Anonymisation
from privacy.rules import ANONYMOUS_NAME
from teams.models import Cadre, Certificate, Person, Team, TeamHonour, TeamMember, Volunteer

from .copy import WRITE_CHUNK, create_with_history
from .data import Counts, Parsed, Row, full_values
from .schema import PERSON_COUNTS, PERSON_SHEETS, SHEET_BY_NAME, SHEETS
from .snapshot import Snapshot, chunks

REASON = "工作簿导入"
FILED_SLOTS = "archive slots with files"  # a pseudo-field of an existing activity
PERSON_ATTRS = ("gender", "birth_year", "phone")
EXISTING_CHUNK = 5000  # existing records read and turned into natural forms at a time
# One empty set for every activity without partners or files: each frozenset() is a new
# object of 216 bytes (two per activity were 30 MB of the city's import).
_NONE: frozenset = frozenset()


@dataclass(frozen=True)
class Target:
    sheet: str
    model: type[Model]
    fields: tuple[str, ...]  # plain fields, filled from the column of the same key
    fks: tuple[str, ...]  # foreign keys, as natural-key tuples (see snapshot.py)
    key: tuple[str, ...]  # the natural key, in these field names
    street: str  # lookup from the model to its Street, to preload one street at a time


_BY_COMMUNITY = "community__street"
# In write order: a record is written after the records it points to.
TARGETS: tuple[Target, ...] = (
    Target(
        "社区",
        Population,
        ("year", "residents", "households"),
        ("community",),
        ("community", "year"),
        _BY_COMMUNITY,
    ),
    Target(
        "设施",
        Facility,
        (
            "name",
            "kind",
            "area",
            "sets",
            "status",
            "opened_on",
            "ownership",
            "partner_unit",
            "free_open",
        ),
        ("community",),
        ("community", "name"),
        _BY_COMMUNITY,
    ),
    Target(
        "提升工程",
        UpgradeProject,
        ("name", "planned_year", "status", "completed_on", "investment"),
        ("community",),
        ("community", "name"),
        _BY_COMMUNITY,
    ),
    Target(
        "团队",
        Team,
        ("name", "category", "project", "leader", "phone", "founded_on", "dissolved_on"),
        ("community",),
        ("community", "name"),
        _BY_COMMUNITY,
    ),
    Target(
        "团队荣誉",
        TeamHonour,
        ("year", "title", "awarded_by"),
        ("team",),
        ("team", "year", "title"),
        "team__community__street",
    ),
    Target(
        "团队成员",
        TeamMember,
        ("joined_on",),
        ("team", "person"),
        ("team", "person"),
        "team__community__street",
    ),
    Target(
        "志愿者",
        Volunteer,
        ("registered_on", "left_on", "service_hours"),
        ("person", "community"),
        ("person",),
        "person__street",
    ),
    Target(
        "社会体育指导员",
        Certificate,
        ("number", "level", "issued_on", "expires_on", "sport"),
        ("person", "community"),
        ("number",),
        "person__street",
    ),
    Target(
        "文体干部",
        Cadre,
        ("post", "appointed_on", "left_on"),
        ("community", "person"),
        ("community", "person", "post", "appointed_on"),
        _BY_COMMUNITY,
    ),
    Target(
        "品牌",
        Brand,
        ("name", "category", "recognised_year", "recognised_by", "revoked_year"),
        ("community",),
        ("community", "name"),
        _BY_COMMUNITY,
    ),
    Target(
        "活动",
        Activity,
        (
            "name",
            "date",
            "category",
            "form",
            "scale",
            "is_exchange",
            "participants",
            "status",
            "has_plan",
            "has_arrangement",
            "has_material",
            "has_image",
            "has_summary",
        ),
        ("community", "brand"),
        ("community", "name", "date"),
        _BY_COMMUNITY,
    ),
    Target(
        "星级评定",
        StarRating,
        ("year", "stars", "rated_by"),
        ("community",),
        ("community", "year", "stars"),
        _BY_COMMUNITY,
    ),
    Target(
        "星级目标",
        StarTarget,
        ("year", "stars"),
        ("community",),
        ("community", "year"),
        _BY_COMMUNITY,
    ),
    Target(
        "获奖",
        Award,
        ("year", "name", "level"),
        ("community",),
        ("community", "year", "name"),
        _BY_COMMUNITY,
    ),
    Target(
        "扣分",
        Deduction,
        ("year", "item", "points", "veto"),
        ("community",),
        ("community", "year", "item"),
        _BY_COMMUNITY,
    ),
)


@dataclass
class Work:
    target: Target
    creates: list[dict[str, Any]] = field(default_factory=list)  # natural values, complete
    # (pk, changed fields only): the records are loaded as instances when written
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    touched: list[Row] = field(default_factory=list)  # the rows that create or change a record


@dataclass
class Plan:
    counts: dict[str, Counts] = field(default_factory=dict)
    new_streets: list[str] = field(default_factory=list)
    new_communities: list[tuple[tuple, str]] = field(default_factory=list)  # key, kind
    community_updates: list[tuple[Model, dict[str, Any]]] = field(default_factory=list)
    person_creates: list[dict[str, Any]] = field(default_factory=list)
    person_updates: list[tuple[Model, dict[str, Any]]] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Planning


def make_plan(parsed: Parsed, snapshot: Snapshot) -> Plan:
    plan = Plan()
    counts: dict[str, Counts] = {}
    kind_rows = _plan_communities(plan, parsed, snapshot)
    for target in TARGETS:
        rows = parsed.rows.get(target.sheet)
        if rows is not None:
            work, counts[target.sheet] = _plan_target(target, rows, snapshot, kind_rows)
            plan.works.append(work)
    plan.counts = {s.name: counts[s.name] for s in SHEETS if s.name in counts}
    if any(name in parsed.rows for name in PERSON_SHEETS):
        plan.counts[PERSON_COUNTS] = _plan_persons(plan, parsed, snapshot)
    return plan


def _plan_communities(plan: Plan, parsed: Parsed, snapshot: Snapshot) -> set[int]:
    """Streets and communities of the 社区 sheet; returns the rows that change a 社区类型."""
    latest: dict[tuple, tuple[int, str, int]] = {}  # community → (年度, 社区类型, row)
    order: dict[tuple, None] = {}
    for row in parsed.rows.get("社区", ()):
        key = (row.values["street"], row.values["community"])
        order[key] = None
        if "kind" in row.values:
            year = row.values["year"]
            if key not in latest or year > latest[key][0]:
                latest[key] = (year, row.values["kind"], row.number)
    changed_rows: set[int] = set()
    for key in order:
        community = snapshot.by_key["community"].get(key)
        kind = latest.get(key)
        if community is None:
            plan.new_communities.append((key, kind[1] if kind else CommunityKind.ORDINARY))
            if key[0] not in snapshot.streets and key[0] not in plan.new_streets:
                plan.new_streets.append(key[0])
        elif kind and community.kind != kind[1]:
            plan.community_updates.append((community, {"kind": kind[1]}))
            changed_rows.add(kind[2])
    return changed_rows


def _unmask(value: Any, stored: str) -> Any:
    """A phone as the export writes it, masked (138****5678), carries no number: the stored
    one stays (none for a new record). Any other value is taken as typed."""
    if isinstance(value, str) and "*" in value:
        return stored or ""
    return value


def _natural_row(target: Target, values: dict[str, Any]) -> dict[str, Any]:
    natural = {f: values[f] for f in target.fields if f in values}
    street, community = values["street"], values["community"]
    for fk in target.fks:
        if fk == "community":
            natural[fk] = (street, community)
        elif fk == "team":
            natural[fk] = (street, community, values["team"])
        elif fk == "person":
            natural[fk] = (street, values["person_code"])
        elif fk == "brand" and "brand" in values:
            natural[fk] = (street, community, values["brand"]) if values["brand"] else None
    if target.model is Activity and "partners" in values:
        partners = values["partners"]
        natural["partners"] = frozenset((street, n) for n in partners) if partners else _NONE
    return natural


def _existing(target: Target, rows: list[Row], snapshot: Snapshot) -> dict[tuple, tuple]:
    """The model's records that the rows may match: natural key → (pk, *natural form), one
    flat tuple each.

    Read as plain values, not model instances (a street's 75,000 activities as instances
    were most of an import's peak memory); the few records that change are loaded as
    instances when they are written (_write)."""
    manager = target.model._default_manager
    fk_ids = [f"{fk}_id" for fk in target.fks]
    columns = ("pk", *target.fields, *fk_ids)
    if target.model is Certificate:
        # 证书编号 is unique across streets, so look the numbers up wherever they are.
        numbers = sorted({r.values["number"] for r in rows})
        records: Iterable[tuple] = (
            r
            for batch in chunks(numbers)
            for r in manager.filter(number__in=batch).values_list(*columns)
        )
    else:
        streets = list(snapshot.streets.values())
        # Streamed (a server-side cursor on PostgreSQL): never the whole result at once.
        records = (
            manager.filter(**{f"{target.street}__in": streets})
            .values_list(*columns)
            .iterator(chunk_size=EXISTING_CHUNK)
            if streets
            else ()
        )
    width = len(target.fields)
    is_activity = target.model is Activity
    partners: dict[int, frozenset] | None = None
    files: dict[int, frozenset] = {}
    # Each record's natural form as a tuple in _natural_names order (smaller than a dict).
    existing = {}
    key_at = [_natural_names(target).index(k) for k in target.key]
    # A choice's stored text (类别, 形式, 状态 …) is one object however many records repeat it:
    # as read, each record had its own copies (a fifth of the city's activities in memory).
    choice_at = [
        i for i, name in enumerate(target.fields) if target.model._meta.get_field(name).choices
    ]
    texts: dict[Any, Any] = {}
    for batch in chunks(records, EXISTING_CHUNK):
        for i, fk in enumerate(target.fks, start=1 + width):
            snapshot.ensure(fk, (r[i] for r in batch))
        if is_activity and partners is None:
            partners, files = _partners(batch, snapshot), _archive_slots(batch, snapshot)
        for record in batch:
            pk = record[0]
            natural = list(record[1 : 1 + width])
            for i in choice_at:
                natural[i] = texts.setdefault(natural[i], natural[i])
            natural += [
                snapshot.key_of(fk, fk_pk)
                for fk, fk_pk in zip(target.fks, record[1 + width :], strict=True)
            ]
            if partners is not None:
                natural += [partners.get(pk, _NONE), files.get(pk, _NONE)]
            existing[tuple(natural[i] for i in key_at)] = (pk, *natural)
    return existing


def _natural_names(target: Target) -> tuple[str, ...]:
    """The order of an existing record's natural form (_existing)."""
    extra = ("partners", FILED_SLOTS) if target.model is Activity else ()
    return (*target.fields, *target.fks, *extra)


def _archive_slots(activities: list[tuple], snapshot: Snapshot) -> dict[int, frozenset]:
    slots: dict[int, set[str]] = {}
    if activities:
        streets = list(snapshot.streets.values())
        for activity_id, slot in (
            ArchiveFile.objects.filter(activity__community__street__in=streets)
            .values_list("activity_id", "slot")
            .distinct()
        ):
            slots.setdefault(activity_id, set()).add(slot)
    return {a: frozenset(s) for a, s in slots.items()}


def _partners(activities: list[tuple], snapshot: Snapshot) -> dict[int, frozenset]:
    links: dict[int, set[int]] = {}
    if activities:
        streets = list(snapshot.streets.values())
        for activity_id, community_id in ActivityPartner.objects.filter(
            activity__community__street__in=streets
        ).values_list("activity_id", "community_id"):
            links.setdefault(activity_id, set()).add(community_id)
    snapshot.ensure("community", (c for ids in links.values() for c in ids))
    return {a: frozenset(snapshot.key_of("community", c) for c in ids) for a, ids in links.items()}


def _plan_target(
    target: Target, rows: list[Row], snapshot: Snapshot, kind_rows: set[int]
) -> tuple[Work, Counts]:
    sheet = SHEET_BY_NAME[target.sheet]
    existing = _existing(target, rows, snapshot)
    at = {name: i for i, name in enumerate(_natural_names(target), start=1)}  # after the pk
    work = Work(target)
    created = updated = unchanged = 0
    for row in rows:
        desired = _natural_row(target, row.values)
        found = existing.get(tuple(desired[k] for k in target.key))
        if found is None:
            new = _natural_row(target, full_values(sheet, row.values))
            if "phone" in new:
                new["phone"] = _unmask(new["phone"], "")
            work.creates.append(new)
            work.touched.append(row)
            created += 1
            continue
        pk, current = found[0], found
        if "phone" in desired:
            desired["phone"] = _unmask(desired["phone"], current[at["phone"]])
        for slot in current[at[FILED_SLOTS]] if FILED_SLOTS in at else ():
            # A slot with uploaded files stays marked (as archive_detach keeps them in step).
            if desired.get(Activity.archive_field(slot)) is False:
                desired[Activity.archive_field(slot)] = True
        changes = {f: v for f, v in desired.items() if current[at[f]] != v}
        if changes:
            work.updates.append((pk, changes))
            work.touched.append(row)
        if changes or (target.model is Population and row.number in kind_rows):
            updated += 1
        else:
            unchanged += 1
    return work, Counts(created, updated, unchanged)


def _plan_persons(plan: Plan, parsed: Parsed, snapshot: Snapshot) -> Counts:
    """One Person per 街道+人员编号, merged over the four person sheets.

    The workbook's 姓名 wins (the rows agree, see checks.py); for 性别, 出生年份 and 联系电话
    a non-blank value wins over a blank one, and a later row over an earlier one.
    """
    merged: dict[tuple, dict[str, Any]] = {}
    for _, row in parsed.person_rows():
        values = row.values
        wanted = merged.setdefault(
            (values["street"], values["person_code"]), {"name": values["person_name"]}
        )
        for attr in PERSON_ATTRS:
            value = values.get(f"person_{attr}")
            if value not in (None, ""):
                wanted[attr] = value
    existing = snapshot.persons()
    # PIPL art. 47: an old workbook must not bring back an anonymised name or number.
    anonymised = set(Anonymisation.objects.values_list("person_id", flat=True))
    updated = unchanged = 0
    for key, wanted in merged.items():
        person = existing.get(key)
        if "phone" in wanted:
            wanted["phone"] = _unmask(wanted["phone"], person.phone if person else "")
        if person is not None and person.pk in anonymised:
            wanted.update(name=ANONYMOUS_NAME, phone="")
        if person is None:
            plan.person_creates.append(
                {"street": key[0], "code": key[1], "gender": "", "birth_year": None, "phone": ""}
                | wanted
            )
            continue
        changes = {f: v for f, v in wanted.items() if getattr(person, f) != v}
        if changes:
            plan.person_updates.append((person, changes))
            updated += 1
        else:
            unchanged += 1
    return Counts(len(plan.person_creates), updated, unchanged)


# ---------------------------------------------------------------------------------------
# Writing


def write_plan(plan: Plan, snapshot: Snapshot) -> None:
    when = timezone.now()  # one import, one moment in every history row it writes
    if plan.new_streets:
        for street in Street.objects.bulk_create([Street(name=n) for n in plan.new_streets]):
            snapshot.streets[street.name] = street
    communities = [
        Community(street=snapshot.streets[key[0]], name=key[1], kind=kind)
        for key, kind in plan.new_communities
    ]
    for (key, _), community in zip(
        plan.new_communities, _create(Community, communities, when), strict=True
    ):
        snapshot.add("community", key, community)
    _update(Community, plan.community_updates, when)

    snapshot.persons()  # new persons join the loaded ones
    persons = [
        Person(
            street=snapshot.streets[p["street"]],
            code=p["code"],
            name=p["name"],
            gender=p["gender"],
            birth_year=p["birth_year"],
            phone=p["phone"],
        )
        for p in plan.person_creates
    ]
    for person in _create(Person, persons, when):
        snapshot.add("person", (person.street.name, person.code), person)
    _update(Person, plan.person_updates, when)

    for work in plan.works:
        _write(work, snapshot, when)
        work.creates = []  # written: the plan is applied once, its memory is given back


def _resolve(target: Target, natural: dict[str, Any], snapshot: Snapshot) -> dict[str, Any]:
    return {
        f: (snapshot.by_key[f][v] if v is not None else None) if f in target.fks else v
        for f, v in natural.items()
    }


def _write(work: Work, snapshot: Snapshot, when: datetime) -> None:
    # New records WRITE_CHUNK at a time: their instances and copied rows are never all
    # held at once (memory stays bounded by the chunk, not the sheet).
    for batch in chunks(work.creates, WRITE_CHUNK):
        _write_new(work.target, batch, snapshot, when)
    for batch in chunks(work.updates, WRITE_CHUNK):
        _write_changed(work.target, batch, snapshot, when)


def _write_new(
    target: Target, batch: list[dict[str, Any]], snapshot: Snapshot, when: datetime
) -> None:
    model = target.model
    creates = [dict(natural) for natural in batch]
    # 走亲社区 is a pseudo-field of activities: a set of links, not a column of the row.
    links = [natural.pop("partners", None) for natural in creates]
    created = _create(model, [model(**_resolve(target, n, snapshot)) for n in creates], when)
    if model in (Team, Brand):
        kind = "team" if model is Team else "brand"
        for obj, natural in zip(created, creates, strict=True):
            snapshot.add(kind, natural["community"] + (natural["name"],), obj)
    if model is Activity:
        _link([(obj, p) for obj, p in zip(created, links, strict=True) if p], snapshot)


def _write_changed(
    target: Target, batch: list[tuple[int, dict[str, Any]]], snapshot: Snapshot, when: datetime
) -> None:
    """Existing records with changed fields: loaded as instances (one query a batch), set,
    saved with one history row each."""
    model = target.model
    objects = model._default_manager.in_bulk([pk for pk, _ in batch])
    # A record deleted meanwhile (another request) is skipped, as bulk_update would.
    updates = [(objects[pk], dict(changes)) for pk, changes in batch if pk in objects]
    links = [changes.pop("partners", None) for _, changes in updates]
    # A new activity's status is recorded by its creation (history "+"); only a change of
    # an existing activity's status is a workflow step, logged as an ActivityTransition.
    transitions = [
        ActivityTransition(
            activity=obj,
            from_status=obj.status,
            to_status=changes["status"],
            by=None,
            reason=REASON,
        )
        for obj, changes in updates
        if model is Activity and "status" in changes
    ]
    changed = [(obj, changes) for obj, changes in updates if changes]
    for obj, changes in changed:
        if model is Activity:
            changes["updated_at"] = when  # bulk_update does not touch auto_now fields
            if "status" in changes:
                changes |= _workflow_fields(changes["status"], when)
        for name, value in _resolve(target, changes, snapshot).items():
            setattr(obj, name, value)
    _update(model, changed, when, resolved=True)
    if model is Activity:
        replaced = [(obj, p) for (obj, _), p in zip(updates, links, strict=True) if p is not None]
        for ids in chunks([activity.pk for activity, _ in replaced]):
            ActivityPartner.objects.filter(activity_id__in=ids).delete()
        _link(replaced, snapshot)
        ActivityTransition.objects.bulk_create(transitions, batch_size=1000)


def _workflow_fields(status: str, when: datetime) -> dict[str, Any]:
    """What activities/services.py sets beside the status when an activity moves there."""
    fields: dict[str, Any] = {}
    if status == ActivityStatus.PENDING:
        fields["submitted_at"] = when  # the verification queue is served by this
    if status != ActivityStatus.RETURNED:
        fields["return_reason"] = ""
    return fields


def _link(activities: list[tuple[Model, frozenset]], snapshot: Snapshot) -> None:
    """Link activities to their 走亲社区 (a changed one's old links are deleted first)."""
    ActivityPartner.objects.bulk_create(
        [
            ActivityPartner(activity=activity, community=snapshot.by_key["community"][key])
            for activity, partners in activities
            for key in sorted(partners)
        ],
        batch_size=1000,
    )


def _create(model: type[Model], objects: list[Model], when: datetime) -> list[Model]:
    return create_with_history(model, objects, when, REASON)


def _update(
    model: type[Model],
    changed: list[tuple[Model, dict[str, Any]]],
    when: datetime,
    resolved: bool = False,
) -> None:
    """Save only the changed fields of these objects, with one history row each."""
    if not resolved:
        for obj, changes in changed:
            for name, value in changes.items():
                setattr(obj, name, value)
    fields = sorted({name for _, changes in changed for name in changes})
    for batch in chunks([obj for obj, _ in changed], WRITE_CHUNK):
        bulk_update_with_history(
            batch,
            model,
            fields,
            batch_size=500,
            default_change_reason=REASON,
            default_date=when,
        )
