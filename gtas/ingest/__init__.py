"""Loading: store raw bytes, parse, and upsert flights, travellers, persons and PNRs (no Flask imports)."""

from gtas.ingest.load import process
from gtas.ingest.store import receive

__all__ = ["process", "receive"]
