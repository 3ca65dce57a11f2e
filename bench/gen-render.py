#!/usr/bin/env python3
"""A Flux tree of N Kustomizations for bench/render.sh: clusters/c holds the
bootstrap sync and N Flux Kustomizations; each builds apps/appNNN, an
overlay of a shared base with a Deployment, a Service and a ConfigMap, with
a patch, a label and substitution, as real app folders look."""
import os
import sys

root = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def write(path, text):
    path = os.path.join(root, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


write("clusters/c/flux-system/gotk-sync.yaml", """apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.com/bench.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/c
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
""")
write("clusters/c/flux-system/kustomization.yaml", "resources:\n  - gotk-sync.yaml\n")
# The cluster folder lists its files, as bootstrap repositories usually do,
# so `kubectl kustomize` (the floor) can build it too.
write("clusters/c/kustomization.yaml", "resources:\n  - flux-system\n  - vars.yaml\n" +
      "".join("  - app%03d.yaml\n" % i for i in range(n)))
write("clusters/c/vars.yaml", """apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  DOMAIN: bench.example.com
""")
write("base/app/kustomization.yaml", "resources:\n  - deploy.yaml\n  - service.yaml\n  - config.yaml\n")
write("base/app/deploy.yaml", """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 2
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.0
          env:
            - {name: HOST, value: "app.${DOMAIN}"}
          resources:
            requests: {cpu: 50m, memory: 64Mi}
""")
write("base/app/service.yaml", """apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  selector: {app: app}
  ports:
    - {port: 80, targetPort: 8080}
""")
write("base/app/config.yaml", """apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  level: info
""")
for i in range(n):
    name = "app%03d" % i
    write("apps/%s/kustomization.yaml" % name, """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: %s
namePrefix: %s-
resources:
  - ../../base/app
labels:
  - pairs: {team: t%d}
patches:
  - patch: |
      - {op: replace, path: /spec/replicas, value: %d}
    target: {kind: Deployment}
""" % (name, name, i % 7, 1 + i % 3))
    write("clusters/c/%s.yaml" % name, """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: %s
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps/%s
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
""" % (name, name))
