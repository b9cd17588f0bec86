import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { IsOptional, Matches, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { DatabaseSettings } from './app-role';
import { provisionAppRole } from './app-role-provision';

class MigrateSettings {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL!: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, {
    message: 'DATABASE_APP_URL must be a postgres:// connection URL',
  })
  DATABASE_APP_URL?: string;
}

/**
 * Applies (or with --revert, undoes the last of) the migrations in migrations/index.ts, as the owner
 * (DATABASE_URL); then, unless reverting, provisions the application role the api and worker use.
 */
export async function runMigrations(settings: DatabaseSettings, revert = false): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions({ ...settings, DB_POOL_SIZE: 2 }, 'owner'));
  await dataSource.initialize();
  try {
    if (revert) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      return ['reverted one'];
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.transaction((m) => provisionAppRole(m, settings));
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  const settings = plainToInstance(MigrateSettings, {
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_APP_URL: process.env.DATABASE_APP_URL || undefined,
  });
  const errors = validateSync(settings);
  if (errors.length > 0) {
    console.error(errors.flatMap((e) => Object.values(e.constraints ?? {})).join('\n'));
    process.exit(1);
  }
  runMigrations(settings, process.argv.includes('--revert'))
    .then((names) => {
      console.log(names.length ? `Applied: ${names.join(', ')}` : 'Schema is up to date');
    })
    .catch((err: unknown) => {
      console.error('Migration failed:', err);
      process.exit(1);
    });
}
