import { describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { repoConfigConfig } from '../config/index.js';
import { OperatorRulesCheck } from './operator-rules.check.js';

async function warningsFor(settings: ConfigType<typeof repoConfigConfig>): Promise<string[]> {
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  try {
    const moduleRef = await Test.createTestingModule({
      providers: [OperatorRulesCheck, { provide: repoConfigConfig.KEY, useValue: settings }],
    }).compile();
    moduleRef.get(OperatorRulesCheck).onApplicationBootstrap();
    return warn.mock.calls.map(([line]) => String(line));
  } finally {
    warn.mockRestore();
  }
}

describe('OperatorRulesCheck', () => {
  it("names the operator defaults' rules: ids that no rule has", async () => {
    const warnings = await warningsFor({
      missingTtlMs: 0,
      defaultsPath: '/etc/nectr/defaults.yml',
      defaults: {
        rules: { 'todo/comment': 'low', 'comments/todo': 'low', 'team/x': 'high', 'model/openai': 'low' },
        custom_rules: [{ id: 'team/x', pattern: 'x', message: 'm', severity: 'medium' }],
      },
    });
    expect(warnings).toEqual([
      'REPO_CONFIG_DEFAULTS (/etc/nectr/defaults.yml) sets rules.todo/comment, but Nectr has no such rule, so it changes nothing',
    ]);
  });

  it('says nothing without defaults or with known ids only', async () => {
    expect(await warningsFor({ missingTtlMs: 0 })).toEqual([]);
    expect(await warningsFor({ missingTtlMs: 0, defaults: { rules: { 'debug/console-log': 'off' } } })).toEqual([]);
  });
});
