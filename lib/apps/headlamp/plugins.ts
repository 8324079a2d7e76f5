// Headlamp plugins through the chart's plugin manager sidecar: a typed list
// rendered to its `plugin.yml`, with the sidecar's image and pluginctl pinned.
import { parse, stringify } from 'yaml';
import { isExactVersion } from '../../charts/version';
import { at, isJsonObject, JsonObject, JsonValue } from '../../json';
import { imageTag, isFloatingTag } from '../../policy/image-policy';
import { HEADLAMP_PLUGINCTL_VERSION, HEADLAMP_PLUGINS_NODE_VERSION } from '../../versions';

/** One Headlamp plugin, installed by pluginctl when the pod starts. */
export interface HeadlampPlugin {
  /** Folder the plugin is installed as, e.g. `headlamp_flux`. */
  readonly name: string;
  /** Its Artifact Hub package, e.g. `https://artifacthub.io/packages/headlamp/headlamp-plugins/headlamp_flux`. */
  readonly source: string;
  /** Exact version to install (pluginctl installs the newest when it is missing). */
  readonly version: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Problems of the plugin list, one per bad field. */
export function pluginProblems(plugins: readonly HeadlampPlugin[]): string[] {
  const problems: string[] = [];
  plugins.forEach((p, i) => {
    if (!NAME.test(p.name)) problems.push(`plugins[${i}].name: Invalid value: "${p.name}": letters, digits, ".", "_" or "-", e.g. "headlamp_flux"`);
    if (!/^https:\/\/[^\s/]+\/\S+$/.test(p.source)) problems.push(`plugins[${i}].source: Invalid value: "${p.source}": the plugin's https:// Artifact Hub URL, e.g. "https://artifacthub.io/packages/headlamp/headlamp-plugins/headlamp_flux"`);
    if (!isExactVersion(p.version)) problems.push(`plugins[${i}].version: Invalid value: "${p.version}": an exact version such as "0.7.0", so the pod runs the plugin you reviewed`);
  });
  const names = plugins.map((p) => p.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) problems.push(`plugins lists ${JSON.stringify(twice[0])} twice: keep one entry per plugin`);
  return problems;
}

/**
 * Chart values that install `plugins`: the plugin manager sidecar on a pinned
 * Node image and a pinned pluginctl, bounded resources, and Headlamp watching
 * its plugins folder so what the sidecar installs after start is loaded.
 */
export function pluginValues(plugins: readonly HeadlampPlugin[]): JsonObject {
  return {
    config: { watchPlugins: true },
    pluginsManager: {
      enabled: true,
      baseImage: `node:${HEADLAMP_PLUGINS_NODE_VERSION}`,
      version: HEADLAMP_PLUGINCTL_VERSION,
      configContent: stringify({ plugins: plugins.map((p) => ({ name: p.name, source: p.source, version: p.version })) }),
      resources: {
        requests: { cpu: '10m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
        limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '512Mi' },
      },
    },
  };
}

/** What floats in the plugin manager's values: the sidecar image, pluginctl, and plugins without a version. */
export function floatingPluginProblems(values: JsonObject): string[] {
  if (at(values, 'pluginsManager', 'enabled') !== true) return [];
  const problems: string[] = [];
  // Unset, they are the chart's defaults: node:lts-alpine and latest.
  const image = at(values, 'pluginsManager', 'baseImage') ?? 'node:lts-alpine';
  const tag = typeof image === 'string' ? imageTag(image) : undefined;
  if (typeof image !== 'string' || tag === undefined || tag === 'latest' || isFloatingTag(tag)) {
    problems.push(`values.pluginsManager.baseImage ${JSON.stringify(image)} is not a pinned release (the chart's default node:lts-alpine moves under you): pin one, e.g. "node:${HEADLAMP_PLUGINS_NODE_VERSION}", or list plugins with the plugins prop`);
  }
  const version = at(values, 'pluginsManager', 'version') ?? 'latest';
  if (typeof version !== 'string' || !isExactVersion(version)) {
    problems.push(`values.pluginsManager.version ${JSON.stringify(version)} makes the sidecar run npx @headlamp-k8s/pluginctl@${String(version)}, whatever npm serves that day: pin it, e.g. "${HEADLAMP_PLUGINCTL_VERSION}"`);
  }
  const content = at(values, 'pluginsManager', 'configContent');
  let config: JsonValue = null;
  try {
    config = typeof content === 'string' ? (parse(content) as JsonValue) : null;
  } catch {
    problems.push('values.pluginsManager.configContent is not valid YAML: pluginctl would fail to read it');
  }
  const listed = isJsonObject(config) && Array.isArray(config.plugins) ? config.plugins.filter(isJsonObject) : [];
  for (const plugin of listed.filter((p) => typeof p.version !== 'string' && typeof p.version !== 'number')) {
    problems.push(`values.pluginsManager.configContent lists plugin ${JSON.stringify(plugin.name ?? null)} without a version, so pluginctl installs its newest release: add version`);
  }
  return problems;
}
