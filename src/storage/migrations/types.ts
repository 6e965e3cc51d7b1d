/** The shape of one numbered migration. */
export type SqlDialect = 'sqlite' | 'postgres';

export interface Migration {
  /** 1, 2, 3 …: applied in order, recorded in eseal_migrations, never renumbered or edited once released */
  id: number;
  name: string;
  /** the statements for a dialect, run one by one inside the migration transaction */
  statements(dialect: SqlDialect): string[];
}
