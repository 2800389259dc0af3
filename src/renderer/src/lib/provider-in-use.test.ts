import { describe, expect, it } from 'vitest';
import { AdminApiError } from '../api/admin-api-error.ts';
import { translator } from '../i18n/translate.ts';
import { providerInUseWords } from './provider-in-use.ts';

const refused = new AdminApiError("Provider 'sim2' is still named by routing: …", {
  status: 409, code: 'provider_in_use', issues: [
    { param: 'aliases[0].targets[1].provider', message: "alias 'main'", code: 'alias', vars: { name: 'main' } },
    { param: 'aliases[0].targets[2].provider', message: "alias 'main'", code: 'alias', vars: { name: 'main' } },
    { param: 'rules[0].action.targets[0].provider', message: "rule 'slow ones'", code: 'rule', vars: { name: 'slow ones' } },
    { param: 'classTargets.complex[0].provider', message: "auto class 'complex'", code: 'class', vars: { name: 'complex' } },
  ],
});

describe('providerInUseWords', () => {
  it('says what still names the provider, each once, in the reader\'s language', () => {
    expect(providerInUseWords(translator('en'), 'en', 'sim2', refused)).toBe(
      'Provider sim2 was not deleted: routing still uses it in alias “main”, rule “slow ones”, and the “complex” class of auto. Point them at another provider on the Routing page, then delete it.',
    );
    expect(providerInUseWords(translator('zh-CN'), 'zh-CN', 'sim2', refused)).toBe(
      '提供方 sim2 未被删除：路由的别名“main”、规则“slow ones”和auto 的“complex”等级仍在使用它。请先在“路由”页把它们改为其他提供方，再删除。',
    );
  });

  it('leaves any other error to the caller', () => {
    expect(providerInUseWords(translator('en'), 'en', 'sim2', new AdminApiError('No provider', { status: 404, code: 'not_found' }))).toBeNull();
    expect(providerInUseWords(translator('en'), 'en', 'sim2', new Error('offline'))).toBeNull();
  });
});
