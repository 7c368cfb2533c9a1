// Validates every manifest in configs/k8s against the Kubernetes API schemas (kubernetes-models: the
// OpenAPI schemas of the Kubernetes API, and the Prometheus Operator's CRDs), offline once `npm ci` has run,
// then checks what no schema knows: the drain timing against the server config, probes, selectors, volumes.
// Usage: node validate.mjs [DIR] (default: the folder above this one). Exit 1 with every error listed.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const directory = resolve(process.argv[2] ?? join(here, ".."));
const errors = [];
const objects = [];

/** The module of a kind's model, by apiVersion. */
function modelModule(apiVersion, kind) {
  if (apiVersion === "monitoring.coreos.com/v1") {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

for (const name of readdirSync(directory).filter((f) => f.endsWith(".yaml")).sort()) {
  const text = readFileSync(join(directory, name), "utf8");
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const where = `${name} (document ${index + 1})`;
    if (document.errors.length > 0) {
      errors.push(`${where}: not valid YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    if (object.kind === "Kustomization") {
      for (const resource of object.resources ?? []) {
        if (!existsSync(join(directory, resource))) errors.push(`${where}: resources names ${resource}, which does not exist`);
      }
      continue;
    }
    let Model;
    try {
      Model = (await import(modelModule(object.apiVersion, object.kind)))[object.kind];
    } catch (e) {
      errors.push(`${where}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      objects.push({ where, object });
    } catch (e) {
      errors.push(`${where}: ${object.kind} ${object.metadata?.name}: ${e.message}`);
    }
  }
}

const find = (kind) => objects.filter((o) => o.object.kind === kind);
const check = (condition, message) => {
  if (!condition) errors.push(message);
};

for (const { where, object: deployment } of find("Deployment")) {
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const labels = deployment.spec.template.metadata.labels;
  check(container.readinessProbe?.httpGet?.path === "/health", `${where}: the readiness probe must GET /health`);
  check(
    container.livenessProbe?.httpGet && container.livenessProbe.httpGet.path !== "/health",
    `${where}: the liveness probe must not GET /health (503 while draining or loading would restart the pod)`,
  );
  const mount = container.volumeMounts.find((m) => m.mountPath === "/models");
  const volume = pod.volumes.find((v) => v.name === mount?.name);
  check(mount?.readOnly === true, `${where}: the models must be mounted readOnly at /models`);
  check(volume?.persistentVolumeClaim?.readOnly === true, `${where}: the models claim must be readOnly`);
  check(container.resources?.requests?.cpu && container.resources?.requests?.memory, `${where}: resource requests missing`);

  const configMapName = pod.volumes.find((v) => v.configMap)?.configMap.name;
  const configMap = find("ConfigMap").find((c) => c.object.metadata.name === configMapName);
  if (!configMap) {
    errors.push(`${where}: its config map ${configMapName} is not among the manifests`);
  } else {
    const server = parse(configMap.object.data["server.yaml"]).server;
    const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const needed = preStop + (server.drain_delay_seconds ?? 0) + (server.drain_seconds ?? 10);
    check(
      pod.terminationGracePeriodSeconds > needed,
      `${where}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} must exceed preStop sleep ` +
        `${preStop} + drain_delay_seconds ${server.drain_delay_seconds} + drain_seconds ${server.drain_seconds} = ${needed}`,
    );
    check(server.host === "0.0.0.0", `${configMap.where}: server.host must be 0.0.0.0 to be reachable in the pod`);
    check(
      server.port === container.ports[0].containerPort,
      `${configMap.where}: server.port ${server.port} differs from the containerPort ${container.ports[0].containerPort}`,
    );
  }
  const selects = (selector) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
  for (const { where: w, object } of [...find("Service"), ...find("PodDisruptionBudget")]) {
    check(selects(object.spec.selector.matchLabels ?? object.spec.selector), `${w}: its selector does not match the pods`);
  }
  for (const { where: w, object } of find("HorizontalPodAutoscaler")) {
    check(object.spec.scaleTargetRef.name === deployment.metadata.name, `${w}: scaleTargetRef is not the Deployment`);
  }
}
for (const { where, object } of find("ServiceMonitor")) {
  const ports = find("Service").flatMap((s) => s.object.spec.ports.map((p) => p.name));
  check(object.spec.endpoints.every((e) => ports.includes(e.port)), `${where}: an endpoint names a port no Service has`);
}

if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
console.log(`${objects.length} manifests valid: ${objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).join(", ")}`);
