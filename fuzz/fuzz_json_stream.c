/* Fuzzes the streaming JSON reader with the subscriptions the stages use. */
#include <stdint.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(const platci_json_event *ev, void *payload)
{
	(void)payload;
	if (ev->value)
		(void)platci_json_str(ev->value, "address");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_json_stream *s = NULL;
	platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
	size_t half = size / 2;

	o.max_depth = 64;
	o.max_value_bytes = 1 << 20;
	if (platci_json_stream_new(&s, &o) < 0)
		return 0;
	platci_json_stream_on(s, "resource_changes[*]", PLATCI_JSON_STREAM_VALUE, 1, touch, NULL);
	platci_json_stream_on(s, "Results[*].Vulnerabilities[*]", PLATCI_JSON_STREAM_VALUE, 2, touch, NULL);
	platci_json_stream_on(s, "Results[*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT,
		3, touch, NULL);
	platci_json_stream_on(s, "format_version", PLATCI_JSON_STREAM_VALUE, 4, touch, NULL);
	/* Two chunks, so values straddling a boundary are exercised. */
	if (platci_json_stream_feed(s, (const char *)data, half, NULL) == 0 &&
		platci_json_stream_feed(s, (const char *)data + half, size - half, NULL) == 0)
		platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	return 0;
}
