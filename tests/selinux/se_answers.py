#!/usr/bin/python3
"""se_answers.py POLICY DOMAIN:SCRIPT_TYPE... - what a binary policy lets
cronguard job domains do, one canonical line per question, so that two
builds (refpolicy and CIL) can be compared with diff and the test can grep
for the answer it expects.

It asks what sesearch and sedta ask, through setools (their library), but
reads the rule table once: a TERuleQuery per question costs seconds on a
full policy."""
import sys

import setools

# Domains that may enter a job domain (those present in the policy).
ENTRY_SOURCES = ("crond_t", "system_cronjob_t", "cronjob_t", "unconfined_cronjob_t",
                 "unconfined_t", "user_t", "staff_t", "sysadm_t")


class Rules:
    def __init__(self, p, sources):
        self.p = p
        self.cache = {}
        # the attributes of every source of interest, then one pass
        self.attrs = {}
        for s in sources:
            t = p.lookup_type(s)
            self.attrs[s] = {s} | {str(a) for a in t.attributes()}
        wanted = set().union(*self.attrs.values())
        self.rules = []
        for r in p.terules():
            src = str(r.source)
            if src not in wanted:
                continue
            rt = str(r.ruletype)
            if rt == "allow":
                self.rules.append((rt, src, str(r.target), str(r.tclass), set(r.perms), None))
            elif rt == "type_transition":
                self.rules.append((rt, src, str(r.target), str(r.tclass), set(), str(r.default)))

    def expand(self, name):
        if name not in self.cache:
            self.cache[name] = {str(x) for x in self.p.lookup_type_or_attr(name).expand()}
        return self.cache[name]

    def targets(self, src, tclass, perm, ruletype="allow"):
        out = set()
        for rt, s, t, c, perms, _ in self.rules:
            if rt == ruletype and c == tclass and s in self.attrs[src] and perm in perms:
                out |= self.expand(t) if t != "self" else {src}
        return out

    def perms(self, src, tgt, tclass):
        out = set()
        for rt, s, t, c, perms, _ in self.rules:
            if rt == "allow" and c == tclass and s in self.attrs[src] and \
               (tgt in self.expand(t) or (t == "self" and src == tgt)):
                out |= perms
        return out

    def auto_transitions(self, src, default):
        out = set()
        for rt, s, t, c, _, dflt in self.rules:
            if rt == "type_transition" and c == "process" and s in self.attrs[src] and dflt == default:
                out |= self.expand(t)
        return out

    def target_names(self, src, tclass, perm):
        return {t for rt, s, t, c, perms, _ in self.rules
                if rt == "allow" and c == tclass and s in self.attrs[src] and perm in perms}


def main():
    p = setools.SELinuxPolicy(sys.argv[1])
    specs = [a.split(":") for a in sys.argv[2:]]
    present = []
    for src in ENTRY_SOURCES:
        try:
            p.lookup_type(src)
            present.append(src)
        except setools.exception.InvalidType:
            pass
    rules = Rules(p, [d for d, _ in specs] + present)
    for d, s in specs:
        t = p.lookup_type(d)
        print(f"{d} type {'permissive' if t.ispermissive else 'enforcing'}")
        print(f"{d} execute_no_trans {' '.join(sorted(rules.targets(d, 'file', 'execute_no_trans')))}")
        print(f"{d} execute {' '.join(sorted(rules.targets(d, 'file', 'execute')))}")
        for perm in ("transition", "dyntransition", "setexec", "setcurrent"):
            tg = rules.targets(d, "process", perm)
            if perm in ("transition", "dyntransition"):
                tg.discard(d)
            print(f"{d} process:{perm} {' '.join(sorted(tg))}")
        # what sedta checks for a transition SRC -> d: process transition,
        # execute and entrypoint on a file type, and here also the
        # type_transition that picks d without the program asking (cron
        # sets exec contexts itself, so only an automatic one counts)
        for src in present:
            if d not in rules.targets(src, "process", "transition"):
                print(f"{d} transition_in {src} none")
                continue
            entries = rules.targets(d, "file", "entrypoint") & rules.targets(src, "file", "execute")
            auto = rules.auto_transitions(src, d) & entries
            print(f"{d} transition_in {src} via {' '.join(sorted(auto))}")
        for cls in ("tcp_socket", "udp_socket", "rawip_socket", "capability", "capability2"):
            print(f"{d} self:{cls} {' '.join(sorted(rules.perms(d, d, cls)))}")
        for perm in ("name_connect", "name_bind"):
            print(f"{d} tcp_socket:{perm} {' '.join(sorted(rules.target_names(d, 'tcp_socket', perm)))}")
        print(f"{d} script_type_attrs {' '.join(sorted(str(a) for a in p.lookup_type(s).attributes()))}")
        print(f"{d} domain_attrs {' '.join(sorted(str(a) for a in t.attributes()))}")


main()
