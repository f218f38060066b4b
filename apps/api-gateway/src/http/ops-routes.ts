const OPS_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/** Health and metrics: served by the service runtime, outside /api/v1, no authentication, no rate limit. */
export function isOpsRoute(request: { routeOptions?: { url?: string }; url?: string }): boolean {
  const route = request.routeOptions?.url ?? request.url?.split('?')[0];
  return route !== undefined && OPS_ROUTES.has(route);
}
