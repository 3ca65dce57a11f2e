/* Time zones for gate policies: a fixed-offset table, no TZ environment, no global state. */
#ifndef PLATCI_GATE_TIME_H
#define PLATCI_GATE_TIME_H

#include "platci/clock.h"

/* Offset in minutes east of UTC of a zone name (fixed-offset table). 0 or -1. */
int platci_gate__zone_offset(int *out, const char *zone);

/* The zones the table knows, comma-separated (for messages). */
const char *platci_gate__zone_list(void);

#endif
