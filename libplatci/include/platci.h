/**
 * @file platci.h
 * @brief Umbrella header: includes every public module of libplatci.
 */
#ifndef PLATCI_H
#define PLATCI_H

#include "platci/common.h"
#include "platci/errors.h"
#include "platci/buf.h"
#include "platci/diag.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "platci/sha256.h"
#include "platci/doc.h"
#include "platci/json.h"
#include "platci/json_stream.h"
#include "platci/clock.h"
#include "platci/query.h"
#include "platci/redact.h"
#include "platci/findings.h"
#include "platci/report.h"
#include "platci/config.h"
#include "platci/git.h"
#include "platci/k8s.h"
#include "platci/kustomize.h"
#include "platci/flux.h"
#include "platci/policy.h"
#include "platci/affected.h"
#include "platci/discover.h"
#include "platci/validate.h"
#include "platci/fluxstatus.h"
#include "platci/drift.h"
#include "platci/trivy.h"
#include "platci/scan.h"
#include "platci/versions.h"
#include "platci/yamledit.h"
#include "platci/promote.h"
#include "platci/gitlab.h"
#include "platci/tfplan.h"
#include "platci/facts.h"
#include "platci/gate.h"
#include "platci/bundle.h"

#endif
