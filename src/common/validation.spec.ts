import { IsInt, IsString, validateSync } from 'class-validator';
import { cacheValidationRules } from './validation';

class Base {
  @IsString() name!: unknown;
}

class Child extends Base {
  @IsInt() count!: unknown;
}

const errorsOf = (o: object) =>
  validateSync(o, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

describe('cacheValidationRules', () => {
  beforeAll(() => cacheValidationRules());

  it('validates with a class and its parents’ rules, repeatedly the same', () => {
    for (let i = 0; i < 3; i++) {
      expect(errorsOf(Object.assign(new Child(), { name: 1, count: 'x' }))).toEqual([
        'count',
        'name',
      ]);
      expect(errorsOf(Object.assign(new Child(), { name: 'a', count: 2 }))).toEqual([]);
      expect(errorsOf(Object.assign(new Base(), { name: 'a', count: 2 }))).toEqual(['count']);
    }
  });

  it('sees rules declared after a lookup was kept', () => {
    class Later {
      @IsString() first!: unknown;
    }
    expect(errorsOf(Object.assign(new Later(), { first: 'a' }))).toEqual([]);
    IsInt()(Later.prototype, 'second');
    expect(errorsOf(Object.assign(new Later(), { first: 'a', second: 'b' }))).toEqual(['second']);
  });
});
