"""SARIF for findings inside package archives (``dist/pkg-1.0.tar.gz!/pkg-1.0/pkg/mod.py``).

SARIF 2.1.0 describes a file inside another file with ``run.artifacts[]``: the archive is one
artifact, each member another with ``parentIndex`` pointing at the archive and a ``location.uri``
relative to it; an ``artifactLocation`` refers to either by ``index``. So:

* ``locations[0]``: the archive itself (repository-relative URI, ``index`` of its artifact), with
  a region on its line 1, because that file is what exists in the repository; its ``message``
  names the member and line;
* ``relatedLocations[0]``: the member, as a nested artifact (``index`` of the member artifact,
  whose ``parentIndex`` is the archive) with the real region and snippet;
* ``codeFlows``: steps inside the archive point at member artifacts the same way;
* the result message ends with the member and line, so the place is visible in any viewer.

GitHub code scanning keys alerts on ``locations[0]``'s URI: the alert is shown on the archive
file (at line 1, without a source preview, since the archive is binary), its title and message
name the member and line; the related location and the flow steps are listed as text, and GitHub
does not open files inside archives.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence
from urllib.parse import quote

from ..findings import Finding, Location

SEP = "!/"


def in_archive(path: str) -> bool:
    return SEP in path


class Artifacts:
    """``run.artifacts`` in order of first use, archives and their members."""

    def __init__(self, archive_location) -> None:
        self._archive_location = archive_location  # display path -> artifactLocation dict
        self.items: List[Dict[str, Any]] = []
        self._index: Dict[str, int] = {}

    def archive(self, path: str) -> int:
        key = path
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append({"location": self._archive_location(path), "roles": ["analysisTarget"]})
        return self._index[key]

    def member(self, path: str) -> int:
        archive, _, member = path.partition(SEP)
        parent = self.archive(archive)
        if path not in self._index:
            self._index[path] = len(self.items)
            self.items.append({"location": {"uri": quote(member, safe="/")}, "parentIndex": parent})
        return self._index[path]


def member_location(loc: Location, artifacts: Artifacts, region: Dict[str, Any]) -> Dict[str, Any]:
    i = artifacts.member(loc.path)
    return {"artifactLocation": {"uri": artifacts.items[i]["location"]["uri"], "index": i}, "region": region}


def rewrite(results: List[Dict[str, Any]], findings: Sequence[Finding], artifacts: Artifacts, region) -> None:
    """Point archive findings at the archive and nest the member (see the module docstring).
    ``results[i]`` is the SARIF result of ``findings[i]``; ``region(loc)`` makes a region."""
    for res, f in zip(results, findings):
        if in_archive(f.location.path):
            archive, _, member = f.location.path.partition(SEP)
            a = artifacts.archive(archive)
            inner = res["locations"][0]["physicalLocation"]
            where = f"{member}:{f.location.line}:{f.location.col}"
            outer = dict(artifacts.items[a]["location"])
            outer["index"] = a
            res["locations"] = [{
                "physicalLocation": {"artifactLocation": outer,
                                     "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}},
                "message": {"text": f"in the archive: {where}"},
            }]
            res["relatedLocations"] = [{
                "id": 1,
                "physicalLocation": member_location(f.location, artifacts, inner["region"]),
                "message": {"text": f"{where} inside {archive}"},
            }]
            res["message"]["text"] += f" In the archive: {where}."
        for flow in res.get("codeFlows", []):
            for tf in flow["threadFlows"]:
                for step, tfl in zip(f.steps, tf["locations"]):
                    if in_archive(step.location.path):
                        tfl["location"]["physicalLocation"] = member_location(
                            step.location, artifacts, region(step.location))


def notice_location(path: str) -> str:
    """A notice about a member is placed on the archive (its member is named in the message)."""
    return path.partition(SEP)[0]
