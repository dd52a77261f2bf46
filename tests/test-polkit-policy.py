#!/usr/bin/python3
"""The polkit policy as built, checked the way polkit would read it. TAP.

- It is valid against polkit's own DTD (Debian ships it in polkitd as
  /usr/share/polkit-1/policyconfig-1.dtd), found through the public
  identifier of its DOCTYPE with an XML catalog, so the DOCTYPE is checked
  too; a copy with a stray element must fail the same check.
- It has exactly the two actions, with the defaults the desktop app relies
  on (read-owners: auth_admin_keep; end-process: auth_admin), each picked
  by pkexec through exec.path (the installed portolan-cli) and exec.argv1.
- `meson install` puts it in share/polkit-1/actions/ and portolan-cli at the
  exec.path it names (the build's own install plan, meson-info).

usage: test-polkit-policy.py POLICY BUILD_ROOT
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

POLICY, BUILD_ROOT = sys.argv[1], sys.argv[2]
DTD_PUBLIC_ID = "-//freedesktop//DTD polkit Policy Configuration 1.0//EN"
DTD_PATHS = ["/usr/share/polkit-1/policyconfig-1.dtd"]
ACTIONS = {
    "io.github.portolan.Portolan.read-owners": ("auth_admin_keep", "list"),
    "io.github.portolan.Portolan.end-process": ("auth_admin", "kill"),
}

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))
    return ok


def finish():
    print(f"1..{len(results)}")
    for i, (ok, what, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {what}")
        for line in detail.splitlines() if not ok else []:
            print(f"# {line}")
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)


def xmllint_valid(path, catalog):
    env = dict(os.environ, XML_CATALOG_FILES=catalog)
    r = subprocess.run(["xmllint", "--noout", "--nonet", "--valid", path], env=env,
                       capture_output=True, text=True)
    return r.returncode, r.stderr


def check_dtd(dtd):
    with tempfile.TemporaryDirectory() as tmp:
        catalog = os.path.join(tmp, "catalog.xml")
        with open(catalog, "w") as f:
            f.write('<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
                    f'  <public publicId="{DTD_PUBLIC_ID}" uri="file://{dtd}"/>\n'
                    "</catalog>\n")
        rc, err = xmllint_valid(POLICY, catalog)
        check(rc == 0 and err == "", f"valid against {dtd} (xmllint --valid, DOCTYPE by catalog)",
              err)
        broken = os.path.join(tmp, "broken.policy")
        with open(POLICY) as f:
            text = f.read()
        with open(broken, "w") as f:
            f.write(text.replace("<defaults>", "<defaults><allow_everyone>yes</allow_everyone>", 1))
        rc, err = xmllint_valid(broken, catalog)
        check(rc != 0 and "allow_everyone" in err, "a stray element fails the same check",
              f"xmllint exit {rc}: {err}")


def installed_paths():
    with open(os.path.join(BUILD_ROOT, "meson-info", "intro-installed.json")) as f:
        plan = json.load(f)
    policy = plan.get(os.path.abspath(POLICY))
    cli = [dest for src, dest in plan.items()
           if os.path.basename(src) == "portolan-cli" and "/app/cli/" in src]
    return policy, cli[0] if cli else None


def check_actions():
    root = ET.parse(POLICY).getroot()
    actions = {a.get("id"): a for a in root.findall("action")}
    check(sorted(actions) == sorted(ACTIONS), "exactly the two actions", repr(sorted(actions)))
    policy_dest, cli_dest = installed_paths()
    check(policy_dest is not None
          and policy_dest.endswith("/share/polkit-1/actions/io.github.portolan.Portolan.policy"),
          "meson install puts it in share/polkit-1/actions/", repr(policy_dest))
    for action_id, (auth, argv1) in ACTIONS.items():
        a = actions.get(action_id)
        if not check(a is not None, f"{action_id} is there"):
            continue
        defaults = {d.tag: d.text for d in a.find("defaults")}
        check(defaults == {"allow_any": auth, "allow_inactive": auth, "allow_active": auth},
              f"{action_id}: {auth} for any, inactive and active sessions", repr(defaults))
        notes = {n.get("key"): n.text for n in a.findall("annotate")}
        check(notes.get("org.freedesktop.policykit.exec.path") == cli_dest and cli_dest,
              f"{action_id}: exec.path is where meson installs portolan-cli",
              f"{notes} vs {cli_dest}")
        check(notes.get("org.freedesktop.policykit.exec.argv1") == argv1,
              f"{action_id}: exec.argv1 is '{argv1}'", repr(notes))
        check(notes.get("org.freedesktop.policykit.exec.allow_gui") is None,
              f"{action_id}: no allow_gui (pkexec drops DISPLAY and XAUTHORITY)", repr(notes))
        check(all(e.get("gettext-domain") == "portolan"
                  for e in a.findall("description") + a.findall("message")),
              f"{action_id}: description and message translated in domain portolan")


def main():
    dtd = next((p for p in DTD_PATHS if os.path.exists(p)), None)
    if shutil.which("xmllint") is None or dtd is None:
        why = ("xmllint is not installed (Debian: libxml2-utils)" if shutil.which("xmllint") is None
               else "polkit's DTD is not installed (Debian: polkitd ships "
                    "/usr/share/polkit-1/policyconfig-1.dtd)")
        print(f"# SKIP the DTD check: {why}")
        results.append((True, f"# SKIP validation: {why}", ""))
    else:
        check_dtd(dtd)
    check_actions()
    finish()


main()
