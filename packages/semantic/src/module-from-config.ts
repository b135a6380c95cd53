import { SemanticError } from './errors.js';
import { buildMlp, type Mlp, type MlpConfig, resolveMlpOptions } from './mlp.js';
import {
  createSideInfoAutoencoder,
  type SideInfoAutoencoder,
  type SideInfoAutoencoderConfig,
} from './side-info-autoencoder.js';

/** The `config` of any module of this package. */
export type SemanticModuleConfig =
  | MlpConfig<'mlp'>
  | MlpConfig<'projector'>
  | MlpConfig<'decoder'>
  | SideInfoAutoencoderConfig;

/** The `kind`s {@link moduleFromConfig} rebuilds. */
export const MODULE_KINDS: readonly SemanticModuleConfig['kind'][] = [
  'mlp',
  'projector',
  'decoder',
  'side-info-autoencoder',
];

/**
 * Rebuilds a module from its `config` (e.g. read back from a checkpoint's JSON): same layout, same
 * seed, so the same initial weights; load trained weights with `setWeights`.
 *
 * @throws SemanticError for an unknown `kind` (listing the valid ones) or an invalid option.
 */
export function moduleFromConfig(config: SideInfoAutoencoderConfig): SideInfoAutoencoder;
export function moduleFromConfig<K extends 'mlp' | 'projector' | 'decoder'>(
  config: MlpConfig<K>,
): Mlp<K>;
export function moduleFromConfig(config: SemanticModuleConfig): Mlp<string> | SideInfoAutoencoder;
export function moduleFromConfig(config: SemanticModuleConfig): Mlp<string> | SideInfoAutoencoder {
  const { kind, ...options } = config;
  switch (kind) {
    case 'side-info-autoencoder':
      return createSideInfoAutoencoder(options);
    case 'mlp':
    case 'projector':
    case 'decoder':
      return buildMlp(resolveMlpOptions('moduleFromConfig', kind, options));
    default:
      throw new SemanticError(
        `moduleFromConfig: unknown kind ${JSON.stringify(kind)}; expected one of ${MODULE_KINDS.join(', ')}`,
      );
  }
}
