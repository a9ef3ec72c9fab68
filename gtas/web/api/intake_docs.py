"""The message intake (``gtas.web.api.messages``, an airline's or provider's token) in the OpenAPI document."""

from __future__ import annotations

from gtas.web.api.officer import API
from gtas.web.api.spec import Parameter

API.describe("POST", "/messages", "api_messages.post_messages", summary="Push messages", status=202,
             response="IntakeReceipt", errors=(400, 401, 413, 415, 429),
             description="Receive one PAXLST or PNRGOV message (raw body: text/plain, application/edifact, "
                         "application/xml, text/xml, application/octet-stream) or several (multipart/form-data, "
                         "one part named 'file' per message); each is stored first, then processed or queued. The "
                         "answer says where to see each message's status.")
API.describe("GET", "/messages/<int:message_id>", "api_messages.message_status", summary="A pushed message's status",
             response="MessageStatus", errors=(401, 404, 429),
             description="Status, type, version, warnings and errors of a message the token's party sent.",
             parameters=(Parameter("message_id", "The message's id, as the push answered.", {"type": "integer"},
                                   "path"),))
