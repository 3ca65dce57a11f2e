#!/usr/bin/env python3
"""Generates a platci tree with N apps per environment for promotion benchmarks.

Usage: gen-apps.py DIR N

Layout (the project's): platci.yaml; gitops/apps/<env>/kustomization.yaml
listing one folder per app; gitops/apps/<env>/<app>/kustomization.yaml with
an images: entry (tag + digest, a setter marker) and a HelmRelease version
patch; gitops/clusters/<env>/apps.yaml with one Flux Kustomization per app
carrying a postBuild.substitute APP_VERSION. stg is ahead of prd on every pin.
"""
import os
import sys

ENVS = ["dev-uaenorth", "stg-uaenorth", "prd-uaenorth"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)


def digest(env_i, app_i):
    return "sha256:" + ("%02x%06x" % (env_i, app_i)) * 8


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen-apps.py DIR N")
    root, n = sys.argv[1], int(sys.argv[2])
    cfg = ["version: 1", "environments:"]
    for i, env in enumerate(ENVS):
        cfg += ["  - name: %s" % env, "    infra: infra/envs/%s" % env,
                "    cluster: gitops/clusters/%s" % env, "    overlay: gitops/apps/%s" % env]
        if i:
            cfg.append("    promote_from: %s" % ENVS[i - 1])
        write(os.path.join(root, "infra/envs", env, "README.md"), "empty\n")
    cfg += ["promotion:", '  substitute_patterns: ["*_VERSION"]', ""]
    write(os.path.join(root, "platci.yaml"), "\n".join(cfg))
    for ei, env in enumerate(ENVS):
        minor = 10 - ei  # dev ahead of stg ahead of prd
        apps = ["app%05d" % a for a in range(n)]
        top = ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:"]
        top += ["  - %s" % a for a in apps]
        write(os.path.join(root, "gitops/apps", env, "kustomization.yaml"), "\n".join(top) + "\n")
        docs = []
        for ai, app in enumerate(apps):
            d = os.path.join(root, "gitops/apps", env, app)
            write(os.path.join(d, "kustomization.yaml"),
                  "# %s in %s\n"
                  "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                  "kind: Kustomization\n"
                  "resources:\n  - ../../../base/%s\n"
                  "images:\n"
                  "  - name: registry.example.com/acme/%s\n"
                  "    newTag: 1.%d.%d # {\"$imagepolicy\": \"flux-system:%s:tag\"}\n"
                  "    digest: %s\n"
                  "patches:\n  - path: release.yaml\n"
                  % (app, env, app, app, minor, ai % 7, app, digest(ei, ai)))
            write(os.path.join(d, "release.yaml"),
                  "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
                  "metadata:\n  name: %s\n  namespace: apps\n"
                  "spec:\n  chart:\n    spec:\n      version: \"2.%d.0\"\n"
                  "  values:\n    note: |\n      ${CLUSTER_NAME} keeps this block as written\n"
                  % (app, minor))
            docs.append("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
                        "metadata:\n  name: %s\n  namespace: flux-system\n"
                        "spec:\n  interval: 10m\n  path: ./gitops/apps/%s/%s\n  prune: true\n"
                        "  postBuild:\n    substitute:\n      APP_VERSION: \"1.%d.%d\"\n"
                        "      CLUSTER_NAME: %s\n" % (app, env, app, minor, ai % 7, env))
        write(os.path.join(root, "gitops/clusters", env, "apps.yaml"), "---\n".join(docs))


if __name__ == "__main__":
    main()
