/* commands.h - the subcommands of cronguard(8), one file each.
 *
 * Every command takes argc/argv starting at its own name and returns the
 * exit status: 0 good, 1 findings or denial, 2 usage or configuration error. */
#ifndef CG_COMMANDS_H
#define CG_COMMANDS_H

enum { CG_EXIT_OK = 0, CG_EXIT_FINDINGS = 1, CG_EXIT_USAGE = 2 };

int cmd_check(int argc, char **argv);          /* cmd_check.c */
int cmd_explain(int argc, char **argv);        /* cmd_explain.c */
int cmd_run(int argc, char **argv);            /* cmd_run.c */
int cmd_audit(int argc, char **argv);          /* cmd_audit.c */
int cmd_lint(int argc, char **argv);           /* cmd_lint.c */
int cmd_manifest(int argc, char **argv);       /* cmd_manifest.c */
int cmd_gen_apparmor(int argc, char **argv);   /* cmd_gen_apparmor.c */
int cmd_gen_selinux(int argc, char **argv);    /* cmd_gen_selinux.c */
int cmd_gen_audit_rules(int argc, char **argv); /* cmd_gen_audit_rules.c */

#endif
