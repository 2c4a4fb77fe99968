"""A small Python client for crosscheckd.

    from crosscheck_client import Client

    with Client("127.0.0.1:50051") as cc:
        for answer in cc.ingest_many(documents):
            ...
        for fact in cc.search_facts(story="dam", disputed_only=True):
            print(fact.description, fact.status)

The gRPC stubs are generated from protos/ when the project is built (into
build/python); put that folder and this one on PYTHONPATH.
"""

import time
from typing import Iterable, Iterator, Optional

import grpc

try:
    from protos.crosscheck.v1 import claims_pb2, crosscheck_pb2, documents_pb2
    from protos.crosscheck.v1 import crosscheck_pb2_grpc
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "crosscheck_client needs the generated stubs: build the project "
        "(scripts/build) and add build/python to PYTHONPATH") from e

__all__ = ["Client", "CrosscheckError", "claims_pb2", "crosscheck_pb2",
           "documents_pb2"]

_KINDS = {
    "casualty": claims_pb2.CLAIM_KIND_CASUALTY,
    "quantity": claims_pb2.CLAIM_KIND_QUANTITY,
    "date": claims_pb2.CLAIM_KIND_DATE,
    "quote": claims_pb2.CLAIM_KIND_QUOTE,
}
_STATUSES = {
    "agree": claims_pb2.FACT_STATUS_AGREE,
    "disagree": claims_pb2.FACT_STATUS_DISAGREE,
    "single_source": claims_pb2.FACT_STATUS_SINGLE_SOURCE,
    "evolving": claims_pb2.FACT_STATUS_EVOLVING,
}
_DOCUMENT_FIELDS = ("id", "source", "published", "story_id", "url", "title",
                    "language")


class CrosscheckError(Exception):
    """A call crosscheckd refused or could not answer: `code` is the gRPC
    status code name ("INVALID_ARGUMENT", ...), `message` says why."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _error(e: grpc.RpcError) -> CrosscheckError:
    return CrosscheckError(e.code().name, e.details() or "")


def _kind(kind) -> int:
    if kind is None or kind == "":
        return claims_pb2.CLAIM_KIND_UNSPECIFIED
    if isinstance(kind, int):
        return kind
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {sorted(_KINDS)}, not {kind!r}")
    return _KINDS[kind]


def make_document(fields: dict) -> documents_pb2.Document:
    """A Document from a dict with id, source, published, text and optional
    story (or story_id), url, title, language. Text may be str or bytes."""
    doc = documents_pb2.Document()
    for name in _DOCUMENT_FIELDS:
        value = fields.get(name)
        if value is None and name == "story_id":
            value = fields.get("story")
        if value is not None:
            setattr(doc, name, value)
    text = fields.get("text", b"")
    doc.text = text.encode("utf-8") if isinstance(text, str) else text
    return doc


class Client:
    """A connection to crosscheckd. Thread-safe for unary calls.

    `timeout` bounds each unary call, including the wait for crosscheckd to
    be reachable: a call made while the server restarts waits for it instead
    of failing at once, and fails with DEADLINE_EXCEEDED if it does not come
    back in time."""

    def __init__(self, target: str = "127.0.0.1:50051", *,
                 token: Optional[str] = None, tls: bool = False,
                 ca_pem: Optional[bytes] = None, timeout: float = 10.0):
        if tls or ca_pem:
            channel = grpc.secure_channel(
                target, grpc.ssl_channel_credentials(root_certificates=ca_pem))
        else:
            channel = grpc.insecure_channel(target)
        self._channel = channel
        self._stub = crosscheck_pb2_grpc.CrosscheckStub(channel)
        self._metadata = [("authorization", f"Bearer {token}")] if token else []
        self._timeout = timeout

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._channel.close()

    def _unary(self, method, request):
        try:
            return method(request, timeout=self._timeout,
                          metadata=self._metadata, wait_for_ready=True)
        except grpc.RpcError as e:
            raise _error(e) from None

    # Documents.

    def ingest(self, **fields) -> crosscheck_pb2.IngestDocumentResponse:
        """Stores one document: ingest(id=..., source=..., published=...,
        text=..., story=...)."""
        return self._unary(
            self._stub.IngestDocument,
            crosscheck_pb2.IngestDocumentRequest(document=make_document(fields)))

    def ingest_many(self, documents: Iterable[dict]
                    ) -> Iterator[crosscheck_pb2.IngestDocumentsResponse]:
        """Streams documents (dicts as for ingest) through IngestDocuments and
        yields one answer per document, in order; a refused document's
        answer has error_code != 0 and the stream goes on."""
        requests = (crosscheck_pb2.IngestDocumentRequest(
            document=make_document(d)) for d in documents)
        try:
            yield from self._stub.IngestDocuments(requests,
                                                  metadata=self._metadata)
        except grpc.RpcError as e:
            raise _error(e) from None

    def get(self, doc_id: str) -> crosscheck_pb2.GetDocumentResponse:
        return self._unary(self._stub.GetDocument,
                           crosscheck_pb2.GetDocumentRequest(id=doc_id))

    def delete(self, doc_id: str) -> crosscheck_pb2.DeleteDocumentResponse:
        return self._unary(self._stub.DeleteDocument,
                           crosscheck_pb2.DeleteDocumentRequest(id=doc_id))

    # Facts.

    def get_fact(self, story: str, fact_key: str) -> claims_pb2.FactComparison:
        return self._unary(self._stub.GetFact, crosscheck_pb2.GetFactRequest(
            story_id=story, fact_key=fact_key))

    def search_facts(self, story: str = "", *, kind=None, status=None,
                     disputed_only: bool = False, words: str = "",
                     source: str = "", published_after: str = "",
                     published_before: str = "", page_size: int = 100,
                     basic: bool = False
                     ) -> Iterator[claims_pb2.FactComparison]:
        """Every fact matching the filters, following the pages. With
        basic=True each fact comes without its claims and copied sentences
        (groups keep their values and sources): lighter, for lists."""
        if status is not None and status not in _STATUSES:
            raise ValueError(
                f"status must be one of {sorted(_STATUSES)}, not {status!r}")
        request = crosscheck_pb2.SearchFactsRequest(
            story_id=story, kind=_kind(kind),
            status=_STATUSES.get(status, 0), disputed_only=disputed_only,
            words=words, source=source, published_after=published_after,
            published_before=published_before, page_size=page_size,
            view=(crosscheck_pb2.FACT_VIEW_BASIC if basic
                  else crosscheck_pb2.FACT_VIEW_FULL))
        while True:
            page = self._unary(self._stub.SearchFacts, request)
            yield from page.facts
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token

    def check_text(self, text, published: str, story: str = ""
                   ) -> crosscheck_pb2.CheckTextResponse:
        """Compares a draft's claims with what the story's sources said,
        without storing it."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        return self._unary(self._stub.CheckText, crosscheck_pb2.CheckTextRequest(
            text=data, published=published, story_id=story))

    def list_sources(self, story: str = "") -> crosscheck_pb2.ListSourcesResponse:
        return self._unary(self._stub.ListSources,
                           crosscheck_pb2.ListSourcesRequest(story_id=story))

    def watch(self, story: str = "", *, kind=None, after: Optional[str] = None,
              from_start: bool = False, reconnect: bool = True,
              retry_seconds: float = 1.0) -> Iterator[crosscheck_pb2.FactChange]:
        """Yields fact changes as they are stored. When the connection drops
        (and `reconnect`), waits and resumes after the last change yielded,
        so no change is lost or repeated. Close the generator to stop."""
        position = after
        while True:
            request = crosscheck_pb2.WatchFactsRequest(
                story_id=story, kind=_kind(kind),
                after_position=position or "",
                from_start=from_start and position is None)
            call = self._stub.WatchFacts(request, metadata=self._metadata)
            try:
                for change in call:
                    position = change.position
                    yield change
                return
            except grpc.RpcError as e:
                if not reconnect or e.code() not in (
                        grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED):
                    raise _error(e) from None
                time.sleep(retry_seconds)
            finally:
                call.cancel()
