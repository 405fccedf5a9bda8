/**
 * The metric contract between the handler (which emits it with Powertools Metrics in Embedded Metric Format) and
 * the dashboard (which graphs it). Powertools adds the `service` dimension (POWERTOOLS_SERVICE_NAME) to every
 * metric; the handler adds `cause`. The dashboard's SEARCH expression only finds metrics with exactly these
 * dimensions, so the handler must not add others to this metric.
 */
export const FINDINGS_METRIC = {
  namespace: 'TrustGap',
  metricName: 'Findings',
  serviceName: 'trustgap',
  dimensions: ['cause', 'service'],
} as const;
