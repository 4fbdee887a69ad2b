/**
 * flat/cum per package and per frame class: the "which part of the code" views next to the per-function top table.
 * cum counts a package (class) once per sample however many of its frames the stack holds.
 */
import { goPackagePath } from '../model/goSymbol';
import { Profile } from '../model/profile';
import { ClassifyOptions, frameClassifier, isAddressFrame } from './classify/frameClass';
import { inferMainModules } from './classify/mainModule';
import { FlatCumTable, flatCumBy, TopOptions } from './topTable';

/** Package path of a frame; C symbols and addresses have none and group under their own name. */
export function framePackage(frameName: string): string {
  if (isAddressFrame(frameName)) {
    return '(unsymbolized)';
  }
  return goPackagePath(frameName) || frameName;
}

export function aggregateByPackage(profile: Profile, options: TopOptions = {}): FlatCumTable {
  return flatCumBy(profile, (name) => framePackage(name), options);
}

export function aggregateByClass(profile: Profile, options: TopOptions & ClassifyOptions = {}): FlatCumTable {
  const mainModules = options.mainModules ?? inferMainModules(profile);
  const classify = frameClassifier({ mainModules });
  return flatCumBy(
    profile,
    (name, fileName) => classify({ functionName: name, fileName: fileName || undefined }),
    options
  );
}
