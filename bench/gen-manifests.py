#!/usr/bin/env python3
"""Generates a platform repository for benchmarks: 20,000 Kubernetes manifests in
4,000 files (5 documents each) under a Flux tree with three environments, the
shipped manifest policy, and a platci.yaml. Standard library only.

usage: gen-manifests.py OUTDIR [--files N] [--docs-per-file M] [--policy FILE]
"""
import argparse
import os
import shutil

ENVS = ["dev-uaenorth", "stg-uaenorth", "prd-uaenorth"]

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    team: {team}
    owner: {team}-owners
    environment: all
    region: uaenorth
  annotations:
    description: "generated workload {i} for the validate benchmark"
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      serviceAccountName: {name}
      securityContext: {{runAsNonRoot: true}}
      containers:
        - name: app
          image: {image}
          ports:
            - {{containerPort: 8080, name: http}}
          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: FEATURE_FLAGS, value: "a,b,c"}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: http}}
        - name: sidecar
          image: acrplatform.azurecr.io/platform/proxy:2.3.1
          resources:
            requests: {{cpu: 10m, memory: 32Mi}}
            limits: {{cpu: 100m, memory: 64Mi}}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels: {{app: {name}, team: {team}}}
spec:
  selector: {{app: {name}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  settings.yaml: |
    listen: 0.0.0.0:8080
    upstreams:
      - http://{name}-db:5432
      - http://{name}-cache:6379
    retries: 3
"""

SA = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {ns}
  labels: {{team: {team}}}
"""

PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: {ns}
spec:
  minAvailable: 1
  selector:
    matchLabels: {{app: {name}}}
"""

KINDS = [DEPLOY, SERVICE, CONFIGMAP, SA, PDB]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=4000)
    ap.add_argument("--docs-per-file", type=int, default=5)
    ap.add_argument("--policy", default=None)
    a = ap.parse_args()
    out = a.out
    teams = max(1, a.files // 40)
    os.makedirs(out, exist_ok=True)
    env_lines = []
    for i, e in enumerate(ENVS):
        extra = ""
        if i:
            extra += ", promote_from: " + ENVS[i - 1]
        if e.startswith("prd"):
            extra += ", protected: true"
        env_lines.append("  - {name: %s, region: uaenorth, infra: infra/envs/%s, cluster: gitops/clusters/%s, overlay: gitops/apps/%s%s}" % (e, e, e, e, extra))
        os.makedirs(os.path.join(out, "infra/envs", e), exist_ok=True)
    write(os.path.join(out, "platci.yaml"), "version: 1\ngitops: gitops\ninfra: infra\nenvironments:\n" + "\n".join(env_lines) +
          "\npolicies:\n  manifests: policies/manifests.yaml\n")
    if a.policy:
        os.makedirs(os.path.join(out, "policies"), exist_ok=True)
        shutil.copy(a.policy, os.path.join(out, "policies/manifests.yaml"))
    for e in ENVS:
        write(os.path.join(out, "gitops/clusters", e, "sync.yaml"),
              "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\n"
              "spec: {interval: 1m, url: 'ssh://git@gitlab.example.com/platform/platform.git', ref: {branch: main}}\n---\n"
              "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\n"
              "spec: {interval: 10m, prune: true, path: ./gitops/apps/%s, sourceRef: {kind: GitRepository, name: flux-system}}\n" % e)
        write(os.path.join(out, "gitops/apps", e, "kustomization.yaml"),
              "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" +
              "".join("  - ../base/team%03d\n" % t for t in range(teams)))
    n = 0
    for f in range(a.files):
        team = "team%03d" % (f % teams)
        ns = team
        docs = []
        for d in range(a.docs_per_file):
            i = f * a.docs_per_file + d
            name = "svc%05d" % f
            # one workload in 50 breaks a rule, as real trees do
            image = "acrplatform.azurecr.io/%s/app:1.%d.%d" % (team, i % 7, i % 11)
            if f % 50 == 7:
                image = "docker.io/library/nginx:latest"
            docs.append(KINDS[d % len(KINDS)].format(name=name, ns=ns, team=team, i=i, replicas=1 + i % 3, image=image))
            n += 1
        write(os.path.join(out, "gitops/apps/base", team, "svc%05d.yaml" % f), "---\n".join(docs))
    print("%d manifests in %d files under %s" % (n, a.files, out))


if __name__ == "__main__":
    main()
