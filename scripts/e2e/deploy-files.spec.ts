import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Grafana cannot run here, so its provisioning is checked as data: the datasource and dashboard
 * providers parse, every dashboard has a fixed uid and queries the provisioned datasource, and the
 * compose file and Kubernetes manifests start every service from the built entry point.
 */
const root = path.resolve(__dirname, '../..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const SERVICES = ['api-gateway', 'auth', 'market-data', 'strategy', 'trading-engine', 'risk', 'analytics'];

describe('deploy files', () => {
  it('provisions the InfluxDB datasource with a fixed uid and dashboards from a folder', () => {
    const datasources = parse(read('deploy/grafana/provisioning/datasources/influxdb.yaml'));
    expect(datasources.datasources[0]).toMatchObject({ uid: 'trading-influxdb', type: 'influxdb', jsonData: { version: 'Flux', organization: 'trading', defaultBucket: 'trading' } });
    const providers = parse(read('deploy/grafana/provisioning/dashboards/trading.yaml'));
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
  });

  it('has dashboards with fixed uids whose panels query the provisioned datasource and the measurements the services write', () => {
    const files = readdirSync(path.join(root, 'deploy/grafana/dashboards')).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const dashboard = JSON.parse(read(`deploy/grafana/dashboards/${file}`));
      expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
      for (const panel of dashboard.panels) {
        expect(panel.datasource.uid).toBe('trading-influxdb');
        for (const target of panel.targets) expect(target.query).toMatch(/r\._measurement == "(portfolio_metrics|trading_performance|system_metrics)"/);
      }
    }
  });

  it('runs every service from its built entry point in docker compose and Kubernetes', () => {
    const compose = parse(read('docker-compose.yml'));
    for (const name of ['postgres', 'redis', 'influxdb', 'grafana']) expect(compose.services[name]).toBeDefined();
    expect(compose.services.redis.command).toContain('--appendonly');
    for (const service of SERVICES) {
      expect(compose.services[service].command).toEqual(['node', `dist/apps/${service}/src/main.js`]);
      const manifests = read(`deploy/k8s/${service}.yaml`).split('\n---\n').map((d) => parse(d));
      const deployment = manifests.find((m) => m.kind === 'Deployment');
      expect(deployment.spec.template.spec.containers[0].command).toEqual(['node', `dist/apps/${service}/src/main.js`]);
      expect(deployment.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/health/ready');
    }
    expect(parse(read('deploy/k8s/kustomization.yaml')).resources).toEqual(expect.arrayContaining(SERVICES.map((s) => `${s}.yaml`)));
  });

  it('gives the master key, the internal token and the JWT key only to auth (the token to the trading-engine, the JWT key to the gateway)', () => {
    const secretsOf = (env: Record<string, unknown>) => ['MASTER_KEY', 'INTERNAL_RPC_TOKEN', 'JWT_SECRET'].filter((name) => name in env);
    const compose = parse(read('docker-compose.yml'));
    const k8sShared = read('deploy/k8s/config.yaml').split('\n---\n').map((d) => parse(d));
    expect(secretsOf(k8sShared.find((m) => m.metadata.name === 'trading-platform-secrets').stringData)).toEqual([]);
    for (const service of SERVICES) {
      const expected = service === 'auth' ? ['MASTER_KEY', 'INTERNAL_RPC_TOKEN', 'JWT_SECRET'] : service === 'trading-engine' ? ['INTERNAL_RPC_TOKEN'] : service === 'api-gateway' ? ['JWT_SECRET'] : [];
      expect({ service, compose: secretsOf(compose.services[service].environment) }).toEqual({ service, compose: expected });
      const deployment = read(`deploy/k8s/${service}.yaml`).split('\n---\n').map((d) => parse(d)).find((m) => m.kind === 'Deployment');
      const container = deployment.spec.template.spec.containers[0];
      const fromAuthSecret = [
        ...(container.envFrom ?? []).filter((e: { secretRef?: { name: string } }) => e.secretRef?.name === 'trading-platform-auth-secrets').map(() => 'the whole auth secret'),
        ...(container.env ?? []).filter((e: { valueFrom?: { secretKeyRef?: { name: string } } }) => e.valueFrom?.secretKeyRef?.name === 'trading-platform-auth-secrets').map((e: { name: string }) => e.name),
      ];
      const k8sExpected = service === 'auth' ? ['the whole auth secret'] : service === 'trading-engine' ? ['INTERNAL_RPC_TOKEN'] : service === 'api-gateway' ? ['JWT_SECRET'] : [];
      expect({ service, k8s: fromAuthSecret }).toEqual({ service, k8s: k8sExpected });
    }
  });
});
