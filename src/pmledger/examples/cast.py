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
    job_title: str
    roles: tuple[Role, ...]
    schools: tuple[str, ...] = ()
    authority_level: Literal[1, 2] | None = None
    """004 §6: level 1 manages up to the first formal meeting, level 2 may dismiss."""
    salutation: str | None = None
    """How a letter greets them ("Dear Mr Baker")."""
    address: tuple[str, ...] = ()

    def as_(self, role: Role | None = None) -> Actor:
        """This person acting in one of their roles (the first, unless told)."""
        chosen = role or self.roles[0]
        level = None if chosen is Role.EMPLOYEE else self.authority_level
        return Actor(person_id=self.person_id, role=chosen, authority_level=level)


HR = Person(
    "hr-okafor",
    "Grace Okafor",
    "HR Adviser, Riverside HR Services (the schools' HR provider)",
    (Role.HR, Role.ADMINISTRATOR),
    salutation="Ms Okafor",
)
DPO = Person(
    "dpo-patel",
    "Nisha Patel",
    "Data Protection Officer, Riverside HR Services",
    (Role.DPO,),
    salutation="Ms Patel",
)
"""The schools' data protection officer: reads the access log, plans and runs the retention
purge (so every README command can be tried on the demo ledger)."""
PEOPLE: tuple[Person, ...] = (
    DPO,
    # Oakfield Primary: Improving Performance Policy (004)
    Person(
        "ht-whitfield",
        "Dr Ann Whitfield",
        "Headteacher, Oakfield Primary",
        (Role.HEADTEACHER,),
        (OAKFIELD,),
        2,
        salutation="Dr Whitfield",
    ),
    Person(
        "dh-osei",
        "Michael Osei",
        "Deputy Headteacher, Oakfield Primary",
        (Role.LINE_MANAGER, Role.MONITOR),
        (OAKFIELD,),
        1,
        salutation="Mr Osei",
    ),
    Person(
        "gov-carter",
        "Margaret Carter",
        "Chair of Governors, Oakfield Primary",
        (Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR),
        (OAKFIELD,),
        salutation="Mrs Carter",
    ),
    Person(
        "emp-1042",
        "Tom Baker",
        "Year 4 Teacher, Oakfield Primary",
        (Role.EMPLOYEE,),
        (OAKFIELD,),
        salutation="Mr Baker",
        address=("14 Larch Avenue", "Bletchley", "Milton Keynes MK3 6HT"),
    ),
    # Riverside Academy: Hampshire model policy for teachers (002), model support staff
    # policy (001)
    Person(
        "ht-malik",
        "Imran Malik",
        "Headteacher, Riverside Academy",
        (Role.HEADTEACHER,),
        (RIVERSIDE,),
        salutation="Mr Malik",
    ),
    Person(
        "hos-evans",
        "Dr Rachel Evans",
        "Head of Science, Riverside Academy",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (RIVERSIDE,),
        salutation="Dr Evans",
    ),
    Person(
        "lm-patel",
        "Ravi Patel",
        "SENCo, Riverside Academy",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (RIVERSIDE,),
        salutation="Mr Patel",
    ),
    Person(
        "gov-hughes",
        "Peter Hughes",
        "Chair of the Pay Committee, Riverside Academy governing body",
        (Role.PAY_PANEL, Role.GOVERNOR),
        (RIVERSIDE,),
        salutation="Mr Hughes",
    ),
    Person(
        "emp-3307",
        "Amir Haddad",
        "Science Teacher, Riverside Academy",
        (Role.EMPLOYEE,),
        (RIVERSIDE,),
        salutation="Mr Haddad",
        address=("7 Mill Lane", "Romsey", "Hampshire SO51 8EJ"),
    ),
    Person(
        "emp-2201",
        "Lucy Grant",
        "Teaching Assistant (SEN), Riverside Academy",
        (Role.EMPLOYEE,),
        (RIVERSIDE,),
        salutation="Ms Grant",
        address=("22 Orchard Close", "Romsey", "Hampshire SO51 7LP"),
    ),
    # Highfield Academy, STAR Multi Academy Trust: Developing Performance (003)
    Person(
        "sbm-brooks",
        "Helen Brooks",
        "School Business Manager, Highfield Academy",
        (Role.LINE_MANAGER, Role.MONITOR),
        (HIGHFIELD,),
        salutation="Mrs Brooks",
    ),
    Person(
        "fin-shah",
        "Priya Shah",
        "Finance Officer, STAR Multi Academy Trust",
        (Role.SUPPORTER,),
        (HIGHFIELD,),
        salutation="Ms Shah",
    ),
    Person(
        "emp-0415",
        "Jo Finch",
        "School Business Officer (Finance), Highfield Academy",
        (Role.EMPLOYEE,),
        (HIGHFIELD,),
        salutation="Ms Finch",
        address=("3 Chapel Street", "Highfield", "Staffordshire ST16 2BX"),
    ),
    # The ReFocus School: Performance Management Procedure (000)
    Person(
        "ht-reeves",
        "Daniel Reeves",
        "Headteacher, ReFocus School",
        (Role.HEADTEACHER,),
        (REFOCUS,),
        salutation="Mr Reeves",
    ),
    Person(
        "dh-marsh",
        "Sofia Marsh",
        "Deputy Headteacher, ReFocus School",
        (Role.DEPUTY_HEADTEACHER, Role.SLT),
        (REFOCUS,),
        salutation="Ms Marsh",
    ),
    Person(
        "hoe-lin",
        "Sarah Lin",
        "Head of English, ReFocus School",
        (Role.REVIEWER, Role.LINE_MANAGER),
        (REFOCUS,),
        salutation="Ms Lin",
    ),
    Person(
        "gov-ahmed",
        "Farah Ahmed",
        "Chair of the Governors' Performance Committee, ReFocus School",
        (Role.GOVERNOR_COMMITTEE,),
        (REFOCUS,),
        salutation="Mrs Ahmed",
    ),
    Person(
        "emp-0098",
        "Nina Kowalski",
        "English Teacher, ReFocus School",
        (Role.EMPLOYEE,),
        (REFOCUS,),
        salutation="Ms Kowalski",
        address=("41 Station Road", "Rugby", "Warwickshire CV21 2LE"),
    ),
)
BY_ID = {p.person_id: p for p in (HR, *PEOPLE)}


def enrol_everyone(ledger: Ledger) -> None:
    """Bootstrap the keyring with HR's key, then give every person in the cast a key and a
    directory entry (name, job title, how letters greet them, postal address)."""
    ledger.bootstrap(HR.person_id, HR.roles)
    by = HR.as_(Role.HR)
    ledger.update_person(
        HR.person_id, by=by, name=HR.name, job_title=HR.job_title, salutation=HR.salutation
    )
    for person in PEOPLE:
        ledger.register_person(
            person.person_id,
            person.roles,
            by=by,
            schools=person.schools,
            authority_level=person.authority_level,
            name=person.name,
            job_title=person.job_title,
            salutation=person.salutation,
            address=person.address,
        )
