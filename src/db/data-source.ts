import { DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';

export function dataSourceOptions(settings: {
  DATABASE_URL: string;
  DB_POOL_SIZE: number;
}): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.DATABASE_URL,
    // The schema is owned by the hand-written migrations; the ORM never alters it.
    synchronize: false,
    migrationsRun: false,
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    entities: [],
    logging: false,
    extra: { max: settings.DB_POOL_SIZE, application_name: 'mpc' },
  };
}
