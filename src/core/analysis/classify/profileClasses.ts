/**
 * Frame classes for every frame of a profile, computed once per frame name (not per occurrence), with the main
 * module inferred from the profile unless given.
 */
import { Profile } from '../../model/profile';
import { frameIndex } from '../frames';
import { FRAME_CLASSES, FrameClass } from './classes';
import { ClassifyOptions, frameClassifier, isAddressFrame } from './frameClass';
import { inferMainModules } from './mainModule';

export interface ProfileFrameClasses {
  /** Class index (into FRAME_CLASSES) per frame id of {@link frameIndex}. */
  classOf: Uint8Array;
  /** 1 for frames that carry no name to classify (unsymbolized addresses). */
  unnamed: Uint8Array;
  mainModules: readonly string[];
}

export const CLASS_INDEX: Readonly<Record<FrameClass, number>> = Object.fromEntries(
  FRAME_CLASSES.map((c, i) => [c, i])
) as Record<FrameClass, number>;

export function profileFrameClasses(profile: Profile, options: ClassifyOptions = {}): ProfileFrameClasses {
  const { names, filenames } = frameIndex(profile);
  const mainModules = options.mainModules ?? inferMainModules(profile);
  const classOf = new Uint8Array(names.length);
  const unnamed = new Uint8Array(names.length);
  const classify = frameClassifier({ mainModules });
  for (let i = 0; i < names.length; i++) {
    classOf[i] = CLASS_INDEX[classify({ functionName: names[i], fileName: filenames[i] || undefined })];
    unnamed[i] = isAddressFrame(names[i]) ? 1 : 0;
  }
  return { classOf, unnamed, mainModules };
}
