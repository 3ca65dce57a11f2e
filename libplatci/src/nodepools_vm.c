/*
 * Azure VM sizes of the SKUs this repository's Terraform uses (and their
 * near neighbours), for the request-too-large check. Figures are the
 * VM's own vCPUs, memory and GPUs, not what Kubernetes can allocate, so
 * only requests no node could ever hold are found.
 *
 * Source: Microsoft Learn, "Sizes for virtual machines in Azure"
 * (learn.microsoft.com/azure/virtual-machines/sizes/), the series pages
 * Dv5 and Ddv5 (general-purpose/ddv5-series, dv5-series), Dasv5
 * (dasv5-series), B-series (bv1-series), NCads H100 v5
 * (gpu-accelerated/ncadsh100v5-series: 1 H100 NVL 94 GB per 40 vCPU) and
 * ND MI300X v5 (gpu-accelerated/ndmi300xv5-series: 8 MI300X). A size not
 * listed here is not judged (the check says nothing of pools it cannot size).
 */
#include <strings.h>

#include "platci/nodepools.h"
#include "util/common.h"
#include "util/banned.h"

static const platci_vm_size sizes[] = {
	{ "Standard_B2s", 2, 4 * 1024, 0, NULL },
	{ "Standard_B4ms", 4, 16 * 1024, 0, NULL },
	{ "Standard_D2s_v5", 2, 8 * 1024, 0, NULL },
	{ "Standard_D4s_v5", 4, 16 * 1024, 0, NULL },
	{ "Standard_D8s_v5", 8, 32 * 1024, 0, NULL },
	{ "Standard_D16s_v5", 16, 64 * 1024, 0, NULL },
	{ "Standard_D2ds_v5", 2, 8 * 1024, 0, NULL },
	{ "Standard_D4ds_v5", 4, 16 * 1024, 0, NULL },
	{ "Standard_D8ds_v5", 8, 32 * 1024, 0, NULL },
	{ "Standard_D16ds_v5", 16, 64 * 1024, 0, NULL },
	{ "Standard_D32ds_v5", 32, 128 * 1024, 0, NULL },
	{ "Standard_D4as_v5", 4, 16 * 1024, 0, NULL },
	{ "Standard_D8as_v5", 8, 32 * 1024, 0, NULL },
	{ "Standard_D16as_v5", 16, 64 * 1024, 0, NULL },
	{ "Standard_NC40ads_H100_v5", 40, 320 * 1024, 1, "nvidia.com/gpu" },
	{ "Standard_NC80adis_H100_v5", 80, 640 * 1024, 2, "nvidia.com/gpu" },
	{ "Standard_ND96isr_MI300X_v5", 96, 1850 * 1024, 8, "amd.com/gpu" },
};

const platci_vm_size *platci_vm_size_find(const char *name)
{
	for (size_t i = 0; name && i < PLATCI_ARRAY_SIZE(sizes); i++)
		if (!strcasecmp(sizes[i].name, name))
			return &sizes[i];
	return NULL;
}
