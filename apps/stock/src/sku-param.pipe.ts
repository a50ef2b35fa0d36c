import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { SKU_PATTERN } from '@app/contracts';

@Injectable()
export class SkuParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SKU_PATTERN.test(value)) throw new BadRequestException('sku must be 1-64 characters of [A-Za-z0-9._-]');
    return value;
  }
}
