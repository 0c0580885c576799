import json
import sys

# Pipfile.lock -> two pip requirement files, as `pipenv sync` builds them: every locked
# package pinned with its hashes (pip then checks every download), and the ones a hash
# cannot pin (git, a path, an editable) apart. Both are installed with --no-deps: the lock
# lists every dependency already.
lock_path, hashed_path, unhashed_path = sys.argv[1:4]
categories = sys.argv[4:]
with open(lock_path, encoding="utf-8") as lock_file:
    lock = json.load(lock_file)
# PyPI itself is left to pip's own configuration, so a mirror set there (PIP_INDEX_URL,
# pip.conf) keeps working; another index the lock names is the project's own.
PYPI = ("https://pypi.org/simple", "https://pypi.python.org/simple")
urls = [source.get("url", "") for source in lock.get("_meta", {}).get("sources", [])]
indexes = []
if any(url and url.rstrip("/") not in PYPI for url in urls):
    for at, url in enumerate(url for url in urls if url):
        indexes.append("%s %s" % ("--index-url" if at == 0 else "--extra-index-url", url))
hashed = []
unhashed = []
seen = set()
for category in categories:
    for name, entry in sorted(lock.get(category, {}).items()):
        key = name.lower().replace("_", "-").replace(".", "-")
        if key in seen:
            continue
        seen.add(key)
        if isinstance(entry, str):
            entry = {"version": entry}
        markers = " ; " + entry["markers"] if entry.get("markers") else ""
        extras = "[%s]" % ",".join(entry["extras"]) if entry.get("extras") else ""
        editable = "--editable " if entry.get("editable") else ""
        if entry.get("git"):
            url = entry["git"]
            url = url if url.startswith("git+") else "git+" + url
            if entry.get("ref"):
                url += "@" + entry["ref"]
            if editable:
                url += "#egg=" + name
            elif entry.get("subdirectory"):
                url += "#subdirectory=" + entry["subdirectory"]
            line = editable + url if editable else "%s%s @ %s%s" % (name, extras, url, markers)
            unhashed.append(line)
        elif entry.get("path") or entry.get("file"):
            location = entry.get("path") or entry.get("file")
            if editable:
                unhashed.append(editable + location + extras)
            elif location.startswith((".", "/")):
                unhashed.append(location + extras + markers)
            else:
                unhashed.append("%s%s @ %s%s" % (name, extras, location, markers))
        else:
            line = name + extras + entry.get("version", "") + markers
            hashes = entry.get("hashes") or []
            if hashes:
                hashed.append(line + "".join(" --hash=" + h for h in hashes))
            else:
                unhashed.append(line)
for path, lines in ((hashed_path, hashed), (unhashed_path, unhashed)):
    with open(path, "w", encoding="utf-8") as out:
        if lines:
            out.write("\n".join(indexes + lines) + "\n")
