"""The people in the example schools, their roles, schools and signing keys.

The ledger is run by the HR provider of four schools that follow different procedures:
Oakfield Primary (Improving Performance Policy, 004) and Riverside Academy (the Hampshire
model policy for teachers, 002, and the model support staff policy, 001) in the Riverside
Learning Trust; Highfield Academy in the STAR Multi Academy Trust (003); and the ReFocus School
(000). Authority levels are 004's and belong to Oakfield's managers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pmledger.events.actors import Actor, Role
from pmledger.ledger.facade import Ledger

ORGANISATION = "riverside-learning-trust"
STAR_TRUST = "star-multi-academy-trust"
REFOCUS_ORGANISATION = "refocus-school"

OAKFIELD = "oakfield-primary"
RIVERSIDE = "riverside-academy"
HIGHFIELD = "highfield-academy"
REFOCUS = "refocus-school"


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    roles: tuple[Role, ...]
    schools: tuple[str, ...] = ()
    authority_level: Literal[1, 2] | None = None
    """004 §6: level 1 manages up to the first formal meeting, level 2 may dismiss."""

    def as_(self, role: Role | None = None) -> Actor:
        """This person acting in one of their roles (the first, unless told)."""
        chosen = role or self.roles[0]
        level = None if chosen is Role.EMPLOYEE else self.authority_level
        return Actor(person_id=self.person_id, role=chosen, authority_level=level)


HR = Person(
    "hr-okafor",
    "Grace Okafor (HR adviser, the schools' HR provider)",
    (Role.HR, Role.ADMINISTRATOR),
)
PEOPLE: tuple[Person, ...] = (
    # Oakfield Primary: Improving Performance Policy (004)
    Person(
        "ht-whitfield",
        "Dr Ann Whitfield (Headteacher, Oakfield Primary; authority level 2)",
        (Role.HEADTEACHER,),
        (OAKFIELD,),
        2,
    ),
    Person(
        "dh-osei",
        "Michael Osei (Deputy Headteacher and line manager, Oakfield Primary; level 1)",
        (Role.LINE_MANAGER, Role.MONITOR),
        (OAKFIELD,),
        1,
    ),
    Person(
        "emp-1042", "Tom Baker (Year 4 teacher, Oakfield Primary)", (Role.EMPLOYEE,), (OAKFIELD,)
    ),
    # Riverside Academy: Hampshire model policy for teachers (002), model support staff
    # policy (001)
    Person(
        "ht-malik",
        "Imran Malik (Headteacher, Riverside Academy)",
        (Role.HEADTEACHER,),
        (RIVERSIDE,),
    ),
    Person(
        "hos-evans",
        "Dr Rachel Evans (Head of Science, Riverside Academy)",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (RIVERSIDE,),
    ),
    Person(
        "lm-patel",
        "Ravi Patel (SENCo, Riverside Academy)",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (RIVERSIDE,),
    ),
    Person(
        "gov-hughes",
        "Peter Hughes (Chair of the pay committee, Riverside Academy governors)",
        (Role.PAY_PANEL, Role.GOVERNOR),
        (RIVERSIDE,),
    ),
    Person(
        "emp-3307",
        "Amir Haddad (Science teacher, Riverside Academy)",
        (Role.EMPLOYEE,),
        (RIVERSIDE,),
    ),
    Person(
        "emp-2201",
        "Lucy Grant (Teaching assistant, SEN, Riverside Academy)",
        (Role.EMPLOYEE,),
        (RIVERSIDE,),
    ),
    # Highfield Academy, STAR Multi Academy Trust: Developing Performance (003)
    Person(
        "sbm-brooks",
        "Helen Brooks (School Business Manager, Highfield Academy)",
        (Role.LINE_MANAGER, Role.MONITOR),
        (HIGHFIELD,),
    ),
    Person(
        "fin-shah",
        "Priya Shah (Trust finance officer, STAR Multi Academy Trust)",
        (Role.SUPPORTER,),
        (HIGHFIELD,),
    ),
    Person(
        "emp-0415",
        "Jo Finch (School business officer, finance, Highfield Academy)",
        (Role.EMPLOYEE,),
        (HIGHFIELD,),
    ),
    # The ReFocus School: Performance Management Procedure (000)
    Person(
        "ht-reeves", "Daniel Reeves (Headteacher, ReFocus School)", (Role.HEADTEACHER,), (REFOCUS,)
    ),
    Person(
        "dh-marsh",
        "Sofia Marsh (Deputy Headteacher, ReFocus School)",
        (Role.DEPUTY_HEADTEACHER, Role.SLT),
        (REFOCUS,),
    ),
    Person(
        "hoe-lin",
        "Sarah Lin (Head of English and line manager, ReFocus School)",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (REFOCUS,),
    ),
    Person(
        "gov-ahmed",
        "Farah Ahmed (Chair of the governors' performance committee, ReFocus School)",
        (Role.GOVERNOR_COMMITTEE,),
        (REFOCUS,),
    ),
    Person(
        "emp-0098", "Nina Kowalski (English teacher, ReFocus School)", (Role.EMPLOYEE,), (REFOCUS,)
    ),
)
BY_ID = {p.person_id: p for p in (HR, *PEOPLE)}


def enrol_everyone(ledger: Ledger) -> None:
    """Bootstrap the keyring with HR's key, then give every person in the cast a key."""
    ledger.bootstrap(HR.person_id, HR.roles)
    for person in PEOPLE:
        ledger.register_person(
            person.person_id, person.roles, by=HR.as_(Role.HR), schools=person.schools
        )
