#include <stdlib.h>

#include "platci/common.h"
#include "platci/errors.h"
#include "util/banned.h"

const char *platci_strerror(int code)
{
	switch (code) {
#define PLATCI__ERR_MSG(name, value, msg) \
	case (value): \
		return msg;
		PLATCI_ERROR_TABLE(PLATCI__ERR_MSG)
#undef PLATCI__ERR_MSG
	default:
		return "unknown error";
	}
}

const char *platci_err_name(int code)
{
	switch (code) {
#define PLATCI__ERR_NAME(name, value, msg) \
	case (value): \
		return #name;
		PLATCI_ERROR_TABLE(PLATCI__ERR_NAME)
#undef PLATCI__ERR_NAME
	default:
		return "EUNKNOWN";
	}
}

const char *platci_version(void)
{
	return PLATCI_VERSION;
}

void platci_free(void *ptr)
{
	free(ptr);
}
