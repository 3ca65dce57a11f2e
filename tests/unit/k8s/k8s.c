#include "test_helpers.h"

static platci_image parse_ok(const char *ref)
{
	platci_image im;
	cr_assert_eq(platci_image_parse(&im, ref), 0, "%s", ref);
	return im;
}

Test(k8s, registry_port_is_not_a_tag)
{
	platci_image im = parse_ok("host:5000/app");
	cr_expect_str_eq(im.registry, "host:5000");
	cr_expect_str_eq(im.repository, "app");
	cr_expect_str_eq(im.tag, "");
	im = parse_ok("host:5000/team/app:1.2");
	cr_expect_str_eq(im.tag, "1.2");
	cr_expect_str_eq(im.repository, "team/app");
}

Test(k8s, implicit_registry_and_library)
{
	platci_image im = parse_ok("nginx");
	cr_expect_str_eq(im.registry, "docker.io");
	cr_expect_eq(im.registry_implicit, 1);
	cr_expect_str_eq(im.repository, "library/nginx");
	im = parse_ok("bitnami/redis:7");
	cr_expect_str_eq(im.repository, "bitnami/redis");
	cr_expect_str_eq(im.tag, "7");
	im = parse_ok("localhost/app:dev");
	cr_expect_str_eq(im.registry, "localhost");
}

Test(k8s, digests)
{
	platci_image im = parse_ok("acr.io/a@sha256:abc");
	cr_expect_str_eq(im.digest, "sha256:abc");
	cr_expect_str_eq(im.tag, "");
	im = parse_ok("acr.io/a:1@sha256:abc");
	cr_expect_str_eq(im.tag, "1");
}

Test(k8s, garbage_images)
{
	platci_image im;
	const char *bad[] = { "", "a b", "acr.io/", "app:", "a@nodigest", "/x", "x@sha256:a@b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(platci_image_parse(&im, bad[i]), PLATCI_EINVALID, "\"%s\"", bad[i]);
	cr_expect_eq(platci_image_parse(&im, NULL), PLATCI_EINVALID);
}

Test(k8s, quantities)
{
	double v;
	cr_assert_eq(platci_quantity_parse(&v, "500m"), 0);
	cr_expect_float_eq(v, 0.5, 1e-12);
	cr_assert_eq(platci_quantity_parse(&v, "1Gi"), 0);
	cr_expect_float_eq(v, 1073741824.0, 1);
	cr_assert_eq(platci_quantity_parse(&v, "1G"), 0);
	cr_expect_float_eq(v, 1e9, 1);
	cr_assert_eq(platci_quantity_parse(&v, "1e3"), 0);
	cr_expect_float_eq(v, 1000.0, 1e-9);
	cr_assert_eq(platci_quantity_parse(&v, "2"), 0);
	cr_expect_float_eq(v, 2.0, 1e-12);
	cr_expect_eq(platci_quantity_parse(&v, "1Gb"), PLATCI_EINVALID);
	cr_expect_eq(platci_quantity_parse(&v, "-1"), PLATCI_EINVALID);
	cr_expect_eq(platci_quantity_parse(&v, "0x10"), PLATCI_EINVALID);
	cr_expect_eq(platci_quantity_parse(&v, "inf"), PLATCI_EINVALID);
	cr_expect_eq(platci_quantity_parse(&v, ""), PLATCI_EINVALID);
}

Test(k8s, identity_and_scope)
{
	platci_doc *doc = NULL;
	platci_k8s_id id;
	const char *y = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: n}\n---\n- a\n";
	char g[32];

	cr_assert_eq(platci_doc_load_buffer(&doc, "t", y, strlen(y), NULL, NULL), 0);
	cr_assert_eq(platci_k8s_identity(&id, platci_doc_root_at(doc, 0)), 1);
	cr_expect_str_eq(id.kind, "Deployment");
	cr_expect_str_eq(id.namespace_, "n");
	cr_expect_eq(id.pos.line, 1);
	cr_expect_eq(platci_k8s_identity(&id, platci_doc_root_at(doc, 1)), 0);
	cr_expect(platci_k8s_is_cluster_scoped("ClusterRole"));
	cr_expect(!platci_k8s_is_cluster_scoped("Deployment"));
	platci_k8s_api_group(g, sizeof(g), "apps/v1");
	cr_expect_str_eq(g, "apps");
	platci_k8s_api_group(g, sizeof(g), "v1");
	cr_expect_str_eq(g, "");
	cr_expect_str_eq(platci_k8s_pod_spec_path("CronJob"), "spec.jobTemplate.spec.template.spec");
	cr_expect_null(platci_k8s_pod_spec_path("Service"));
	platci_doc_free(doc);
}
