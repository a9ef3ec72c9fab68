"""``/api/v1/travellers/<id>``: everything known about a traveller, his hits explained (audited)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gtas.model import Document
from gtas.web import audit
from gtas.web.api.officer import API
from gtas.web.api.serialise import traveller_json
from gtas.web.api.spec import Parameter
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session
from gtas.web.travellers.access import visible_traveller
from gtas.web.travellers.profile import traveller_page
from gtas.web.travellers.views import READERS

TRAVELLER_ID = Parameter("traveller_id", "The traveller's id.", {"type": "integer"}, "path")


@API.route("GET", "/travellers/<int:traveller_id>", summary="A traveller", allowed=READERS, response="Traveller",
           errors=(401, 403, 404), parameters=(TRAVELLER_ID,))
def traveller(traveller_id: int) -> dict[str, Any]:
    """Identity, documents, booking, risk, co-travellers, hits with their explanation and decisions, outcomes."""
    session = get_session()
    found = visible_traveller(session, traveller_id, signed_in_user())
    page = traveller_page(session, found)
    documents = list(session.scalars(select(Document).where(Document.traveller_id == traveller_id)
                                     .order_by(Document.id)))
    audit.record("traveller.view", object_kind="traveller", object_id=traveller_id, traveller_id=traveller_id,
                 details={"flight": page.flight.designator, "hits": len(page.hits), "via": "api"})
    session.commit()
    return traveller_json(page, documents)
