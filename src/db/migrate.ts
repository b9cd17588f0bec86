import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { Matches, validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';

class MigrateSettings {
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL!: string;
}

/** Applies (or with --revert, undoes the last of) the migrations in migrations/index.ts. */
export async function runMigrations(databaseUrl: string, revert = false): Promise<string[]> {
  const dataSource = new DataSource(
    dataSourceOptions({ DATABASE_URL: databaseUrl, DB_POOL_SIZE: 2 }),
  );
  await dataSource.initialize();
  try {
    if (revert) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      return ['reverted one'];
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  const settings = plainToInstance(MigrateSettings, { DATABASE_URL: process.env.DATABASE_URL });
  const errors = validateSync(settings);
  if (errors.length > 0) {
    console.error(errors.flatMap((e) => Object.values(e.constraints ?? {})).join('\n'));
    process.exit(1);
  }
  runMigrations(settings.DATABASE_URL, process.argv.includes('--revert'))
    .then((names) => {
      console.log(names.length ? `Applied: ${names.join(', ')}` : 'Schema is up to date');
    })
    .catch((err: unknown) => {
      console.error('Migration failed:', err);
      process.exit(1);
    });
}
