"""What some of the ontology's properties mean to the code, named once.

The build derives links through these properties and the pages list an entity's activities
through them: both read this module, so that a property added to the ontology is added here
and nowhere else.
"""

from __future__ import annotations

#: Properties by which an activity or agreement involves an agent (its territory counts).
AGENT_LINKS = (
    "participant",
    "delegationMember",
    "leader",
    "metWith",
    "host",
    "visited",
    "organiser",
    "partner",
    "party",
)
#: Properties by which an activity or agreement involves a place directly.
PLACE_LINKS = ("origin", "destination", "venue", "partnerRegion", "signedAt")
#: The classes whose members can be evidence of a cross-border link.
EVIDENCE_CLASSES = ("Activity", "Agreement")
#: The properties through which a territory joins a link (docs/model.md): an actor of its
#: ecosystem that takes part, meets or hosts, organises, is a partner or party, funds or is
#: visited, and the places that stand for such actors (a delegation's home and the territory
#: it visits, a project's partner regions). Not ``venue`` nor ``signedAt``: where something
#: merely took place joins nothing.
LINK_JOINING = (*AGENT_LINKS, "funder", "origin", "destination", "partnerRegion")
#: Statuses of what has not happened (yet): such evidence makes a prospective link only.
PROSPECTIVE_STATUSES = ("planned", "under-consideration")
