import { returningRows } from './returning-rows';

describe('returningRows', () => {
  it('unwraps the [rows, rowCount] pair TypeORM returns for UPDATE and DELETE', () => {
    expect(returningRows([[{ id: 1 }], 1])).toEqual([{ id: 1 }]);
    expect(returningRows([[], 0])).toEqual([]);
  });

  it('passes plain rows through', () => {
    expect(returningRows([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
