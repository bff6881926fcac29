import type { Config } from '../config';
import type { Clock } from './clock';
import type { FileService } from './file.service';
import type { HealthService } from './health.service';
import type { RateLimitService } from './rate-limit.service';
import type { RoomEvents } from './room-events';
import type { RoomService } from './room.service';

/** Everything the edges (controllers, socket handlers) may call: built once per app in app.ts. */
export interface Services {
  config: Config;
  clock: Clock;
  rooms: RoomService;
  files: FileService;
  health: HealthService;
  limits: RateLimitService;
  events: RoomEvents;
}
