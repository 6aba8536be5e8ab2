import type { ArtifactRegistry } from '../artifact-registry';
import type { LiveListens } from '../live-listens';

/** What every route plugin is registered with. */
export interface RouteDeps {
  registry: ArtifactRegistry;
  live: LiveListens;
}
