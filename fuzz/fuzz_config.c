/* Fuzzes the platci.yaml loader (paths are not required to exist here). */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	platci_config *cfg = NULL;
	platci_config_options o = PLATCI_CONFIG_OPTIONS_INIT;
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/platci-fuzz-config-%ld.yaml", (long)getpid());
	if (!(f = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	o.skip_path_checks = 1;
	platci_config_load(&cfg, path, "/tmp", &o, NULL);
	platci_config_free(cfg);
	unlink(path);
	return 0;
}
