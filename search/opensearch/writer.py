"""Writing releases into the cluster: a full rebuild into a new index, or an in-place update of the live one.

Both hold the alias's writer lock (a document in the `.depesche-locks` index, created only if absent) for their
whole run; a second run gets IndexBusy at once. A lock left by a run that died on this machine is taken over.
- Rebuild: releases are spooled (with their analysed terms, see `mapping`) to a temporary file while they arrive;
  `finish` creates the new index without replicas, bulk-loads it, adds the replica,
  waits until it is allocated, and then moves the alias to it in one `_aliases` call. The index it replaced is kept
  one run longer (a reader may still be reading it); older ones and leftovers of killed runs are deleted.
  A run that fails or is killed before the alias moves leaves the live index exactly as it was.
- Update: `existing()` gives id -> content hash of the live index; changed and deleted releases are collected and
  sent in bulk by `finish`, so a run that fails before it changes nothing. (Within `finish` the changes become
  visible together at the refresh, but not as one atomic step: OpenSearch has no multi-document transaction.)
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import time

from opensearchpy import helpers
from opensearchpy.exceptions import ConflictError, NotFoundError

from .. import arrival
from ..errors import IndexBusy, IndexMissing
from ..fields import ARRIVED_FIELD
from .client import alias_name, answers, cluster_url, connect
from ..fields import GROUP_FIELD, SKETCH_FIELD
from .mapping import ARRIVED_MAPPING, REPLICAS, analysed, group_mapping, index_settings, mappings, source_of

LOCK_INDEX = ".depesche-locks"
BULK_CHUNK = 500
GREEN_TIMEOUT = "60s"
REPLICAS_ENV = "DEPESCHE_OPENSEARCH_REPLICAS"  # 0 for a one-node cluster


def index_exists(url: str | None = None, alias: str | None = None) -> bool:
    client = connect(cluster_url(url))
    with answers(cluster_url(url)):
        return bool(client.indices.exists_alias(name=alias_name(alias)))


class _Run:
    analyse = staticmethod(analysed)  # entry -> its term fields; run in the indexer's worker processes

    def __init__(self, url: str | None = None, alias: str | None = None):
        self.url = cluster_url(url)
        self.alias = alias_name(alias)
        self.client = connect(self.url)
        self.started = self.finishing = time.time()  # `finishing`: when `finish` was called
        self._locked = False
        self._lock()

    def known(self) -> dict[str, tuple[str, str]]:
        return {}

    def groups(self) -> list[tuple[str, str, str]]:
        """(id, near-duplicate group, sketch) of every live release (see search.duplicates)."""
        return []

    def info(self, summary: dict) -> dict:
        """The build info: the run's summary, its `seconds` counting everything up to now (the bulk load too)."""
        seconds = max(float(summary.get("seconds") or 0.0) + time.time() - self.finishing, time.time() - self.started)
        return {**summary, "built": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(seconds, 2)}

    # -- the writer lock ---------------------------------------------------------------------------------

    def _lock(self) -> None:
        holder = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
        with answers(self.url):
            for _ in range(2):
                try:
                    self.client.index(index=LOCK_INDEX, id=self.alias, body=holder, op_type="create", refresh="true")
                    self._locked = True
                    return
                except ConflictError:
                    current = self._holder()
                    if current and _dead_here(current):
                        self.client.delete(index=LOCK_INDEX, id=self.alias, refresh="true", ignore=[404])
                        continue
                    who = f" (pid {current.get('pid')} on {current.get('host')})" if current else ""
                    raise IndexBusy(
                        f"another 'depesche index' run is writing {self.alias!r}{who}; wait for it to finish and try again"
                    ) from None
        raise IndexBusy(f"could not take the writer lock of {self.alias!r}")

    def _holder(self) -> dict | None:
        try:
            return self.client.get(index=LOCK_INDEX, id=self.alias)["_source"]
        except NotFoundError:
            return None

    def release(self) -> None:
        if self._locked:
            self._locked = False
            try:
                with answers(self.url):
                    self.client.delete(index=LOCK_INDEX, id=self.alias, refresh="true", ignore=[404])
            except Exception:  # a lock we cannot delete is taken over by the next run on this machine
                pass

    def _live_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def _bulk(self, actions) -> None:
        ok, errors = helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=False, request_timeout=120)
        errors = [e for e in errors if not ("delete" in e and e["delete"].get("status") == 404)]
        if errors:
            raise RuntimeError(f"OpenSearch refused {len(errors)} documents; first: {json.dumps(errors[0])[:500]}")


def _dead_here(holder: dict) -> bool:
    """True if the lock's holder was a process on this machine that no longer runs."""
    if holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(holder.get("pid")), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, TypeError, ValueError):
        return False
    return False


class Rebuild(_Run):
    """A new index, switched to at the end. Leftovers of killed runs are removed first."""

    def __init__(self, url: str | None = None, alias: str | None = None, replicas: int | None = None):
        super().__init__(url, alias)
        self.replicas = int(os.environ.get(REPLICAS_ENV, REPLICAS)) if replicas is None else replicas
        try:
            with answers(self.url):
                self._remove_stale(keep=())
                self.arrivals = self._previous_arrivals()
            self.index = f"{self.alias}-{time.strftime('%Y%m%dt%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
            self.spool = tempfile.TemporaryFile(mode="w+", encoding="utf-8", prefix="depesche-rebuild-")
            self.count = 0
        except BaseException:
            self.release()
            raise

    def add(self, entry, terms: dict | None = None) -> None:
        source = source_of(entry, self.count, terms, self.arrivals.of(entry.doc.id))
        self.count += 1
        self.spool.write(json.dumps(source, ensure_ascii=False) + "\n")

    def delete(self, doc_id: str) -> None:  # nothing to delete in a fresh index
        pass

    def finish(self, summary: dict) -> None:
        self.finishing = time.time()
        try:
            with answers(self.url):
                self.client.indices.create(
                    index=self.index,
                    body={
                        "settings": {**index_settings(replicas=0), "refresh_interval": "-1"},
                        "mappings": {**mappings(), "_meta": {"build": {}}},
                    },
                )
                self.spool.seek(0)
                self._bulk({"_index": self.index, "_id": json.loads(line)["id"], "_source": line} for line in self.spool)
                self.client.indices.put_settings(
                    index=self.index, body={"index": {"number_of_replicas": self.replicas, "refresh_interval": "1s"}}
                )
                self.client.indices.refresh(index=self.index)
                # the replicas, before the alias moves (a cluster with too few nodes for them stays yellow: go on)
                self.client.cluster.health(
                    index=self.index, wait_for_status="green" if self.replicas else "yellow",
                    params={"timeout": GREEN_TIMEOUT}, request_timeout=130, ignore=[408],
                )
                # the build info last: its time counts the bulk load and the replicas too
                self.client.indices.put_mapping(index=self.index, body={"_meta": {"build": self.info(summary)}})
                previous = self._live_indices()
                actions = [{"remove": {"index": old, "alias": self.alias}} for old in previous]
                actions.append({"add": {"index": self.index, "alias": self.alias}})
                self.client.indices.update_aliases(body={"actions": actions})
                # keep the replaced index one run longer: a reader may still be reading it
                self._remove_stale(keep=tuple(previous))
        except BaseException:
            self._drop()
            raise
        finally:
            self.spool.close()
            self.release()

    def abort(self) -> None:
        try:
            self.spool.close()
            self._drop()
        finally:
            self.release()

    def _previous_arrivals(self) -> arrival.Arrivals:
        """A rebuild keeps when each release arrived: read from the index it replaces (one scan of ids and arrivals)."""
        live = self._live_indices()
        if not live:
            return arrival.Arrivals({})
        hits = helpers.scan(self.client, index=live[0], _source=[ARRIVED_FIELD], size=1000)
        return arrival.Arrivals({hit["_id"]: hit["_source"][ARRIVED_FIELD] for hit in hits if ARRIVED_FIELD in hit["_source"]})

    def _drop(self) -> None:
        try:
            if self.index not in self._live_indices():
                self.client.indices.delete(index=self.index, ignore=[404])
        except Exception:  # the next rebuild removes it
            pass

    def _remove_stale(self, keep: tuple[str, ...]) -> list[str]:
        """Delete this alias's build indices that are not live and not kept."""
        live = set(self._live_indices())
        names = self.client.indices.get(index=f"{self.alias}-*", ignore=[404])
        mine = re.compile(rf"^{re.escape(self.alias)}-\d{{8}}t\d{{6}}-\d+-\d+$")
        removed = [name for name in names if mine.match(name) and name not in live and name not in keep]
        for name in removed:
            self.client.indices.delete(index=name, ignore=[404])
        return removed


class Update(_Run):
    """Add, replace and delete releases in the live index; sent together at the end."""

    def __init__(self, url: str | None = None, alias: str | None = None):
        super().__init__(url, alias)
        try:
            with answers(self.url):
                live = self._live_indices()
                if not live:
                    raise IndexMissing(
                        f"no index {self.alias!r} in the OpenSearch cluster at {self.url} "
                        f"(build one with: depesche index SOURCE --engine opensearch --url {self.url})"
                    )
                self.index = live[0]
                # an index built before the near-duplicate groups takes their fields (new fields are allowed)
                self.client.indices.put_mapping(index=self.index, body={"properties": group_mapping()})
                aggs = {"seq": {"max": {"field": "seq"}}, ARRIVED_FIELD: {"max": {"field": ARRIVED_FIELD}}}
                top = self.client.search(index=self.index, body={"size": 0, "aggs": aggs})
                self.next_seq = int(top["aggregations"]["seq"]["value"] or 0) + 1
                self.arrivals = arrival.Arrivals({}, latest=int(top["aggregations"][ARRIVED_FIELD]["value"] or 0))
            self.actions: list[dict] = []
        except BaseException:
            self.release()
            raise

    def known(self) -> dict[str, tuple[str, str]]:
        """id -> (content hash, source file stamp) of every live release."""
        with answers(self.url):
            return {
                hit["_id"]: (hit["_source"].get("content_hash", ""), hit["_source"].get("stamp", ""))
                for hit in helpers.scan(self.client, index=self.index, _source=["content_hash", "stamp"], size=1000)
            }

    def groups(self) -> list[tuple[str, str, str]]:
        with answers(self.url):
            return [
                (hit["_id"], hit["_source"].get(GROUP_FIELD) or hit["_id"], hit["_source"].get(SKETCH_FIELD, ""))
                for hit in helpers.scan(self.client, index=self.index, _source=[GROUP_FIELD, SKETCH_FIELD], size=1000)
            ]

    def add(self, entry, terms: dict | None = None) -> None:
        source = source_of(entry, self.next_seq, terms, self.arrivals.run)  # or its earlier arrival: `finish`
        self.next_seq += 1
        self.actions.append({"_index": self.index, "_id": source["id"], "_source": source})

    def delete(self, doc_id: str) -> None:
        self.actions.append({"_op_type": "delete", "_index": self.index, "_id": doc_id})

    def finish(self, summary: dict) -> None:
        self.finishing = time.time()
        try:
            with answers(self.url):
                self._keep_arrivals()
                self._bulk(self.actions)
                self.client.indices.refresh(index=self.index)
                meta = self.client.indices.get_mapping(index=self.index)[self.index]["mappings"].get("_meta", {})
                self.client.indices.put_mapping(index=self.index, body={"_meta": {**meta, "updated": self.info(summary)}})
        finally:
            self.actions = []
            self.release()

    def abort(self) -> None:
        self.actions = []
        self.release()

    def _keep_arrivals(self) -> None:
        """A rewritten release keeps when it arrived (read for the rewritten ones only); the others arrive now. The
        field is added to the mapping of an index built before arrivals (its mapping is strict)."""
        self.client.indices.put_mapping(index=self.index, body={"properties": {ARRIVED_FIELD: ARRIVED_MAPPING}})
        sources = {action["_id"]: action["_source"] for action in self.actions if "_source" in action}
        every_id = list(sources)
        for start in range(0, len(every_id), BULK_CHUNK):
            ids = every_id[start : start + BULK_CHUNK]
            found = self.client.mget(index=self.index, body={"ids": ids}, _source=[ARRIVED_FIELD])["docs"]
            previous = {doc["_id"]: doc["_source"][ARRIVED_FIELD] for doc in found if ARRIVED_FIELD in doc.get("_source", {})}
            for doc_id in ids:
                sources[doc_id][ARRIVED_FIELD] = previous.get(doc_id, self.arrivals.run)
