/* platci's umbrella: the stages it knows, where it looks for them, and its --help. */
#ifndef PLATCI_UMBRELLA_STAGES_H
#define PLATCI_UMBRELLA_STAGES_H

#include <stddef.h>

/* Lower-case letters, digits and '-', not starting with '-': nothing a path could hide in. */
int stage_is_name(const char *s);

/* The folder holding this executable into @p out, or "" when it cannot be known. */
void stage_own_dir(char *out, size_t size, const char *argv0);

/* Prints the usage, the shipped stages and every other platci-* beside @p self and on PATH. */
void stage_help(const char *self);

#endif
