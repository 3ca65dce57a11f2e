#include "escape.h"
#include "banned.h"

int platci__escape(platci_buf *out, const char *s, const char *const repl[256])
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char *run = p;

		while (*p && !repl[*p])
			p++;
		platci_buf_put(out, run, (size_t)(p - run));
		if (!*p)
			break;
		platci_buf_puts(out, repl[*p]);
		p++;
	}
	return out->error;
}
