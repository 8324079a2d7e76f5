// Every pinned version lives here, once. The `renovate:` comments let Renovate's
// regex manager find and bump each pin (see renovate.json).

/** Flux HelmRepository that publishes the Headlamp chart. */
export const HEADLAMP_CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/headlamp/';

/** Headlamp chart version installed by default: an exact pin, never a range. */
// renovate: datasource=helm depName=headlamp registryUrl=https://kubernetes-sigs.github.io/headlamp/
export const HEADLAMP_CHART_VERSION = '0.45.0';

/** cloudflared image tag: a dated release, never `latest`. */
// renovate: datasource=docker depName=cloudflare/cloudflared
export const CLOUDFLARED_VERSION = '2025.10.0';

/** OCI artifact of the Crossview chart (an OCIRepository url: the chart itself, not a registry folder). */
export const CROSSVIEW_CHART_URL = 'oci://ghcr.io/crossplane-contrib/crossview-chart';

/** Crossview chart version installed by default: an exact pin (its OCI tag), without the release tag's `v`. */
// renovate: datasource=docker depName=ghcr.io/crossplane-contrib/crossview-chart
export const CROSSVIEW_CHART_VERSION = '3.4.0';

/** postgres image tag Crossview's database runs: a version, never `latest`. */
// renovate: datasource=docker depName=postgres
export const POSTGRES_VERSION = '17.6';

/** Image of Headlamp's plugin manager sidecar (it runs pluginctl with npx): a release, never `lts-alpine`. */
// renovate: datasource=docker depName=node
export const HEADLAMP_PLUGINS_NODE_VERSION = '22.21.1-alpine3.22';

/** `@headlamp-k8s/pluginctl`, which installs the plugins: an exact release, never `latest`. */
// renovate: datasource=npm depName=@headlamp-k8s/pluginctl
export const HEADLAMP_PLUGINCTL_VERSION = '0.1.1';
