// The prompt as llama-server builds it: the model's own chat template (tokenizer.chat_template, Jinja,
// rendered with the generation prompt), ChatML when the file has none (the Qwen family's format).

export interface ChatTurn {
  role: string;
  content: string;
}

interface JinjaModule {
  Template: new (source: string) => { render(vars: Record<string, unknown>): string };
}

const CHATML = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
  + '{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export type RenderChat = (messages: ChatTurn[]) => string;

export function chatRenderer(jinja: unknown, source: string | undefined, tokens: { bos: string | null; eos: string | null }): RenderChat {
  const { Template } = jinja as JinjaModule;
  let template: InstanceType<JinjaModule['Template']>;
  try {
    template = new Template(source || CHATML);
  } catch (e) {
    throw new TemplateError(`the model's chat template does not parse (${e instanceof Error ? e.message : String(e)})`);
  }
  return (messages) => {
    try {
      return template.render({ messages, add_generation_prompt: true, bos_token: tokens.bos ?? '', eos_token: tokens.eos ?? '' });
    } catch (e) {
      throw new TemplateError(`the model's chat template failed on these messages (${e instanceof Error ? e.message : String(e)})`);
    }
  };
}
