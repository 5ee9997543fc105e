#!/usr/bin/env python3
"""Save-to-reload latency of `shipshape serve`: start the server on a corpus, listen to
its event stream, edit the body text of one page N times, and time each save until
the status event that follows it. Prints one JSON object (milliseconds).

    serve_latency.py BIN CORPUS [EDITS]

Body-only edits: a word in the page's last paragraph changes; its title, headings and
links stay, so no other page's output changes.

Besides the wall times it reports the server's CPU time (user + sys, from
/proc/PID/stat) per rebuild: the median over the edits of the CPU the process used from
one save to its status event. On a busy machine wall times swing with the load; the CPU
a rebuild takes does not.
"""
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time


def main():
    binary, corpus = sys.argv[1], sys.argv[2]
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    started = time.monotonic()
    server = subprocess.Popen(
        [binary, "serve", corpus, "-p", "0", "--log-format", "json"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        for line in server.stderr:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "serving":
                port = int(event["url"].rsplit(":", 1)[1].strip("/"))
                break
        if port is None:
            sys.exit("serve_latency: the server never said where it serves")
        start_s = time.monotonic() - started
        stream = socket.create_connection(("127.0.0.1", port))
        stream.sendall(f"GET /__shipshape/events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        reader = stream.makefile("rb")
        generation = next_status(reader)["generation"]
        # Statuses with the time they arrived, read on their own thread so that a
        # status is timed when it comes, not when the loop gets to it.
        arrivals = queue.Queue()

        def listen():
            while True:
                status = next_status(reader, allow_end=True)
                if status is None:
                    return
                arrivals.put((time.monotonic(), status))

        threading.Thread(target=listen, daemon=True).start()
        page = find_page(corpus)
        original = open(page, encoding="utf-8").read()
        latencies = []
        cpu_ms = []
        extra = 0
        try:
            for n in range(edits):
                text = original.rstrip("\n") + f"\n\nEdited body text, version {n}.\n"
                cpu_before = cpu_seconds(server.pid)
                before = time.monotonic()
                with open(page, "w", encoding="utf-8") as out:
                    out.write(text)
                while True:
                    arrived, status = arrivals.get(timeout=60)
                    if status["generation"] > generation and arrived >= before:
                        break
                latencies.append((arrived - before) * 1000)
                cpu_ms.append((cpu_seconds(server.pid) - cpu_before) * 1000)
                generation = status["generation"]
                changed = status.get("changed")
                if changed is not None and len(changed) > 3:
                    print(f"serve_latency: note: edit {n} changed {len(changed)} files", file=sys.stderr)
                # Let any second rebuild of the same save land before the next edit.
                time.sleep(0.3)
                while not arrivals.empty():
                    _, later = arrivals.get()
                    generation = max(generation, later["generation"])
                    extra += 1
        finally:
            with open(page, "w", encoding="utf-8") as out:
                out.write(original)
        if extra:
            print(f"serve_latency: note: {extra} saves were rebuilt twice", file=sys.stderr)
        rss_kib = peak_rss(server.pid)
        print(json.dumps({
            "edits": edits,
            "median_ms": round(statistics.median(latencies), 1),
            "min_ms": round(min(latencies), 1),
            "max_ms": round(max(latencies), 1),
            "cpu_median_ms": round(statistics.median(cpu_ms), 1),
            "start_s": round(start_s, 2),
            "peak_rss_mib": round(rss_kib / 1024, 1),
        }))
    finally:
        server.terminate()
        server.wait(timeout=10)


def next_status(reader, allow_end=False):
    name = None
    while True:
        line = reader.readline()
        if not line:
            if allow_end:
                return None
            sys.exit("serve_latency: the event stream ended")
        line = line.decode().rstrip("\r\n")
        if line.startswith("event: "):
            name = line[len("event: "):]
        elif line.startswith("data: ") and name == "status":
            return json.loads(line[len("data: "):])


def find_page(corpus):
    """A page in the middle of the corpus (not the home page, which other pages link to)."""
    pages = []
    for folder, _, files in os.walk(os.path.join(corpus, "src")):
        pages.extend(os.path.join(folder, name) for name in files if name.endswith(".md") and name not in ("SUMMARY.md", "README.md"))
    pages.sort()
    return pages[len(pages) // 2]


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name (field 2) may hold spaces: split after its closing parenthesis.
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    main()
