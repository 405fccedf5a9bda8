export type { OrganizationsSender } from './organization-snapshot';
export { ORGANIZATIONS_READ_ACTIONS, type OrganizationsAccess } from './organizations-actions';
export {
  DEFAULT_ORGANIZATIONS_TTL_MS,
  OrganizationsReader,
  type OrganizationsReaderOptions,
} from './organizations-reader';
