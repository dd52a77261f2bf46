#!/usr/bin/env python3
"""The man pages, as TAP:

- each page is lint-clean: `mandoc -T lint` and `groff -ww -z -man` print
  nothing (each linter that is installed; a missing one is a printed skip);
- portolan-cli(1) and `portolan-cli COMMAND --help` name the same options,
  command by command, both ways, and each usage line of `portolan-cli
  --help` is in the SYNOPSIS as the page renders it;
- portolan(1) documents every option `portolan --help` lists (when the app
  is built).

usage: check-man.py PORTOLAN_CLI MANDIR [PORTOLAN]
"""
import os
import re
import shutil
import subprocess
import sys

results = []


def check(ok, name, detail=""):
    results.append((ok, name, detail))


def skip(name, why):
    results.append((None, name, why))


def run(argv, env=None):
    return subprocess.run(argv, capture_output=True, text=True, env=env)


def lint(page):
    name = os.path.basename(page)
    if shutil.which("mandoc"):
        r = run(["mandoc", "-T", "lint", "-W", "style", page])
        check(r.returncode == 0 and not r.stdout and not r.stderr,
              f"{name}: mandoc -T lint is silent", r.stdout + r.stderr)
    else:
        skip(f"{name}: mandoc -T lint", "mandoc is not installed")
    if shutil.which("groff"):
        r = run(["groff", "-ww", "-z", "-man", page])
        check(r.returncode == 0 and not r.stderr, f"{name}: groff -ww -z is silent", r.stderr)
    else:
        skip(f"{name}: groff -ww -z", "groff is not installed")


def render(page):
    """The page as plain text, one space between words."""
    if shutil.which("mandoc"):
        text = run(["mandoc", "-T", "ascii", "-O", "width=400", page]).stdout
    else:
        text = run(["groff", "-man", "-T", "ascii", "-rLL=400n", "-P", "-c", page]).stdout
    text = re.sub(r".\x08", "", text)
    return text


def squash(text):
    return " ".join(text.split())


# "  -l, --listening   text" or "      --pid N   text": (short or None, long)
HELP_OPTION = re.compile(r"^ {2}(?:-(\S), )?\s*--([A-Za-z0-9-]+)")


def help_options(text):
    found = set()
    in_options = False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        if in_options and not line.strip():
            break
        m = HELP_OPTION.match(line) if in_options else None
        if m:
            found.add((m.group(1), m.group(2)))
    return found


# The .TP heads of a man page section: ".BR \-l ", " \-\-listening" or ".BR \-\-pid " \fIN\fR"".
MAN_OPTION = re.compile(r'^\.BI? ?R? ?(?:\\-(\w) ", " )?\\-\\-([A-Za-z0-9\\-]+)')


def man_options(lines):
    found = set()
    for i, line in enumerate(lines):
        if i > 0 and lines[i - 1].startswith(".TP"):
            m = MAN_OPTION.match(line)
            if m:
                found.add((m.group(1), m.group(2).replace("\\-", "-")))
    return found


def man_sections(source):
    """{".SS title": [lines]} of a page's source."""
    sections, current = {}, None
    for line in source.splitlines():
        if line.startswith(".SS ") or line.startswith(".SH "):
            current = line[4:].strip('"')
            sections[current] = []
        elif current:
            sections[current].append(line)
    return sections


def cli_pages(cli, page):
    source = open(page, encoding="utf-8").read()
    sections = man_sections(source)
    commands = [l.split("\t")[0] for l in run([cli, "__complete", "commands"]).stdout.splitlines()]
    check(len(commands) >= 5, "portolan-cli __complete commands lists the commands", repr(commands))
    for cmd in commands:
        title = next((t for t in sections if t.startswith(f"portolan-cli {cmd}")
                      or (cmd == "port" and t.startswith("portolan-cli [port]"))), None)
        if title is None:
            check(False, f"portolan-cli(1) has a section for '{cmd}'", "no .SS portolan-cli " + cmd)
            continue
        helped = help_options(run([cli, cmd, "--help"]).stdout) - {("h", "help")}
        documented = man_options(sections[title])
        check(helped == documented, f"'{cmd}': the options of --help and of the man page agree",
              f"only in --help: {sorted(map(str, helped - documented))}; "
              f"only in the man page: {sorted(map(str, documented - helped))}")
    rendered = render(page)
    synopsis = squash(rendered.split("SYNOPSIS", 1)[1].split("DESCRIPTION", 1)[0])
    usage = run([cli, "--help"]).stdout.split("\n\n", 1)[0]
    for line in re.split(r"\n(?=Usage: |       portolan-cli)", usage):
        want = squash(line.replace("Usage:", ""))
        check(want in synopsis, f"the SYNOPSIS has '{want}'", synopsis)


def gui_page(gui, page):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    text = run([gui, "--help"], env=env).stdout
    opts = set(re.findall(r"^\s+(?:-\w, )?--([a-z][a-z-]*)", text, re.M))
    check(len(opts) >= 3, "portolan --help lists its options", text)
    source = open(page, encoding="utf-8").read().replace("\\-", "-")
    for opt in sorted(opts):
        check("--" + opt in source, f"portolan(1) documents --{opt}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cli, mandir = sys.argv[1], sys.argv[2]
    gui = sys.argv[3] if len(sys.argv) > 3 else None
    pages = sorted(os.path.join(mandir, p) for p in os.listdir(mandir) if re.search(r"\.\d$", p))
    for page in pages:
        lint(page)
    if shutil.which("mandoc") or shutil.which("groff"):
        cli_pages(cli, os.path.join(mandir, "portolan-cli.1"))
    else:
        skip("portolan-cli(1) against --help", "neither mandoc nor groff is installed to render it")
    if gui:
        gui_page(gui, os.path.join(mandir, "portolan.1"))
    for n, (ok, name, detail) in enumerate(results, 1):
        if ok is None:
            print(f"ok {n} {name} # SKIP {detail}")
        elif ok:
            print(f"ok {n} {name}")
        else:
            print(f"not ok {n} {name}")
            for line in detail.splitlines():
                print(f"# {line}")
    print(f"1..{len(results)}")
    return 0 if all(ok is not False for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
